using System.Text.Json;
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
}
