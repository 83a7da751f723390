using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TradeNet.AppHost;

namespace TradeNet.Deploy.Tests;

/// <summary>The dashboard's three addresses are 15080, 19080 and 20080 unless the environment names others, so that two app
/// hosts can run on one machine and a dashboard can move off a taken port. They were fixed in the launch profile, whose
/// values <c>dotnet run</c> puts above the shell's.</summary>
public sealed class AppHostDashboardAddressTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(s => s.Name == name).Value;

    [Fact]
    public void With_nothing_set_the_dashboard_takes_15080_its_otlp_endpoint_19080_and_the_resource_service_20080()
    {
        var missing = DashboardAddresses.Missing(Environment()).ToDictionary();

        Assert.Equal("http://localhost:15080", missing["ASPNETCORE_URLS"]);
        Assert.Equal("http://localhost:19080", missing["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]);
        Assert.Equal("http://localhost:20080", missing["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"]);
        Assert.Equal("true", missing["ASPIRE_ALLOW_UNSECURED_TRANSPORT"]);
    }

    [Fact]
    public void An_address_the_environment_sets_is_kept_and_only_the_others_get_their_defaults()
    {
        var missing = DashboardAddresses.Missing(Environment(("ASPNETCORE_URLS", "http://127.0.0.1:7301"))).ToDictionary();

        Assert.False(missing.ContainsKey("ASPNETCORE_URLS"));
        Assert.Equal("http://localhost:19080", missing["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]);
        Assert.Equal("http://localhost:20080", missing["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"]);
    }

    [Theory]
    [InlineData("DOTNET_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")]
    [InlineData("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")]
    [InlineData("DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")]
    [InlineData("DOTNET_RESOURCE_SERVICE_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL")]
    public void An_endpoint_set_under_another_name_aspire_reads_gets_no_default_beside_it(string setName, string defaulted)
    {
        var missing = DashboardAddresses.Missing(Environment((setName, "http://127.0.0.1:7302")));

        Assert.DoesNotContain(missing, m => m.Key == defaulted);
    }

    [Theory]
    [InlineData("--DOTNET_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:7303", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL")]
    [InlineData("--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:7302", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")]
    [InlineData("--DOTNET_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:7302", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")]
    [InlineData("/ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:7302", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")]
    public void An_endpoint_given_on_the_command_line_gets_no_default_in_the_environment_that_aspire_would_read_first(string argument, string defaulted)
    {
        var missing = DashboardAddresses.Missing(DashboardAddresses.Given(["--topology", "embedded", argument], Environment()));

        Assert.DoesNotContain(missing, m => m.Key == defaulted);
    }

    [Fact]
    public void An_address_given_as_two_arguments_on_the_command_line_counts_as_given_and_the_environment_still_counts()
    {
        var given = DashboardAddresses.Given(["--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "http://127.0.0.1:7303"],
            Environment(("ASPNETCORE_URLS", "http://127.0.0.1:7301")));

        Assert.Equal("http://127.0.0.1:7303", given("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"));
        Assert.Equal("http://127.0.0.1:7301", given("ASPNETCORE_URLS"));
        Assert.Null(given("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"));
    }

    [Fact]
    public void The_app_hosts_launch_profile_names_none_of_the_dashboards_addresses_which_dotnet_run_would_put_above_the_shells()
    {
        using var launch = JsonDocument.Parse(File.ReadAllText(Path.Combine(Yaml.RepoRoot, "deploy", "TradeNet.AppHost", "Properties", "launchSettings.json")));

        foreach (var profile in launch.RootElement.GetProperty("profiles").EnumerateObject())
        {
            Assert.False(profile.Value.TryGetProperty("applicationUrl", out _), $"profile {profile.Name} sets applicationUrl (ASPNETCORE_URLS)");
            if (!profile.Value.TryGetProperty("environmentVariables", out var variables)) continue;
            foreach (var name in new[] { "ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL" })
                Assert.False(variables.TryGetProperty(name, out _), $"profile {profile.Name} sets {name}");
        }
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")]
    [InlineData("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL")]
    public void A_dashboard_port_another_process_listens_on_stops_the_start_naming_the_setting_and_makes_no_data_folder(string setting)
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)other.LocalEndpoint).Port}";
        var dataDir = Path.Combine(Path.GetTempPath(), "tradenet-tests", "apphost-dashboard-" + Guid.NewGuid().ToString("N"));
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [setting] = url,
            ["TradeNet:DataDir"] = dataDir,
            ["TradeNet:GatewayPort"] = ListenPorts.Next().ToString(CultureInfo.InvariantCulture),
        }).Build();

        var refused = Assert.Throws<ArgumentException>(() => AppHostSettings.ForStart(config));

        Assert.Contains($"{url} ({setting}", refused.Message);
        Assert.Contains("address already in use", refused.Message);
        Assert.False(Directory.Exists(dataDir), $"{dataDir} was made");
    }

    [Fact]
    public void Free_dashboard_ports_are_not_handed_out_for_the_app_hosts_own_processes()
    {
        // Not from ListenPorts.Next(), which would have handed it out already: a port free once its listener stops.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var dashboard = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var range = (dashboard, dashboard);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://localhost:{dashboard}",
            ["TradeNet:DataDir"] = Path.Combine(Path.GetTempPath(), "tradenet-tests", "apphost-dashboard-" + Guid.NewGuid().ToString("N")),
            ["TradeNet:GatewayPort"] = ListenPorts.Next().ToString(CultureInfo.InvariantCulture),
        }).Build();

        var settings = AppHostSettings.ForStart(config);
        Directory.Delete(settings.DataDir);

        Assert.Throws<ArgumentException>(() => ListenPorts.NextIn(range));
    }
}
