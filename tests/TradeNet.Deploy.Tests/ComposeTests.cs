using YamlDotNet.RepresentationModel;

namespace TradeNet.Deploy.Tests;

public class ComposeTests
{
    private static Dictionary<string, YamlNode> Services =>
        Yaml.Entries((YamlMappingNode)Yaml.Documents("docker-compose.yml").Single().At("services")!);

    /// <summary>The services compose builds from this repository (the others are third-party images).</summary>
    private static IEnumerable<(string Name, Dictionary<string, YamlNode> Env)> TradeNetServices =>
        Services.Where(s => s.Value.At("build") is not null)
            .Select(s => (s.Key, Yaml.Entries((YamlMappingNode)s.Value.At("environment")!)));

    [Fact]
    public void Every_setting_a_compose_service_reads_binds_to_the_code()
    {
        var problems = TradeNetServices.SelectMany(s => s.Env.Keys).Distinct()
            .Select(n => (n, SettingNames.Problem(n))).Where(p => p.Item2 is not null).ToList();

        Assert.Empty(problems);
    }

    /// <summary>The gateway is published on every interface: a default written in this repository would be an operator
    /// key (and a token signing key) that anyone who reads it could use against a deployment left at its defaults.</summary>
    [Theory]
    [InlineData("Gateway__Operators__0__Key")]
    [InlineData("Auth__InternalTokenKey")]
    [InlineData("RabbitMq__Password")]
    public void Compose_requires_each_secret_from_the_environment_instead_of_defaulting_it(string setting)
    {
        var values = TradeNetServices.Select(s => s.Env.GetValueOrDefault(setting)).OfType<YamlScalarNode>().Select(v => v.Value ?? "").ToList();

        Assert.NotEmpty(values);
        Assert.All(values, value => Assert.Matches(@"^\$\{[A-Z_]+:\?[^}]+\}$", value));
    }

    /// <summary>As in Kubernetes: the gateway, matching and logistics each call catalog's gRPC service.</summary>
    [Theory]
    [InlineData("gateway")]
    [InlineData("matching")]
    [InlineData("logistics")]
    public void Each_catalog_caller_is_given_catalogs_grpc_address(string caller)
    {
        var services = TradeNetServices.ToDictionary(s => s.Name, s => s.Env);

        var address = Assert.IsType<YamlScalarNode>(services[caller].GetValueOrDefault("Services__Catalog__Grpc")).Value!;

        Assert.Equal(("catalog", Manifests.PortOf(((YamlScalarNode)services["catalog"]["Endpoints__Grpc"]).Value!)), Manifests.Target(address));
    }

    [Fact]
    public void Matching_is_given_logistics_grpc_address()
    {
        var services = TradeNetServices.ToDictionary(s => s.Name, s => s.Env);

        var address = Assert.IsType<YamlScalarNode>(services["matching"].GetValueOrDefault("Services__Logistics__Grpc")).Value!;

        Assert.Equal(("logistics", Manifests.PortOf(((YamlScalarNode)services["logistics"]["Endpoints__Grpc"]).Value!)), Manifests.Target(address));
    }

    /// <summary>YARP forwards the REST calls as HTTP/1.1: a cluster pointed at another service, or at a service's HTTP/2-only
    /// gRPC port, answers its routes with 502; one left at gateway.json's default calls the gateway's own container.</summary>
    [Fact]
    public void Each_gateway_cluster_reaches_the_rest_port_of_its_service()
    {
        var services = TradeNetServices.ToDictionary(s => s.Name, s => s.Env);
        var destinations = services["gateway"].Select(e => (Match: Manifests.ClusterDestination().Match(e.Key), e.Value))
            .Where(d => d.Match.Success).Select(d => (Cluster: d.Match.Groups[1].Value, Address: ((YamlScalarNode)d.Value).Value!)).ToList();

        Assert.Equal(SettingNames.GatewayClusterNames.Order(), destinations.Select(d => d.Cluster).Distinct().Order());
        foreach (var (cluster, address) in destinations)
            Assert.Equal((cluster, Manifests.PortOf(((YamlScalarNode)services[cluster]["Endpoints__Rest"]).Value!)), Manifests.Target(address));
    }

    /// <summary>Compose starts a service's dependents once its healthcheck passes: one that probes a port the service does not
    /// listen on, or its HTTP/2-only gRPC port, holds back the gateway and with it the whole deployment.</summary>
    [Fact]
    public void Each_service_healthcheck_probes_its_own_rest_port_with_the_probe_its_image_holds()
    {
        foreach (var (name, env) in TradeNetServices)
        {
            var test = Services[name].Items("healthcheck", "test").Select(t => ((YamlScalarNode)t).Value!).ToList();
            var rest = Manifests.PortOf(((YamlScalarNode)env["Endpoints__Rest"]).Value!);

            Assert.Equal(["CMD", "dotnet", "/probe/TradeNet.HealthProbe.dll", $"http://127.0.0.1:{rest}/health"], test);
            Assert.Contains(Dockerfiles.LastStage(name), i => i.Keyword == "COPY" && i.Args.EndsWith(" /probe/", StringComparison.Ordinal));
        }
    }

    /// <summary>The dashboard's image takes OTLP over gRPC on one port and over HTTP on another: telemetry sent to the wrong
    /// one, or by the other protocol, is lost without a word (telemetry is best-effort). Compose says as Kubernetes does.</summary>
    [Fact]
    public void Each_process_sends_its_telemetry_to_the_dashboards_otlp_port_as_in_kubernetes()
    {
        var dashboard = Manifests.Container("aspire-dashboard");
        var otlp = ("aspire-dashboard", Manifests.ContainerPort(dashboard, "otlp"));
        var protocol = Manifests.EnvValue(Manifests.Container("gateway"), "OTEL_EXPORTER_OTLP_PROTOCOL");

        Assert.Equal(dashboard.Text("image"), Services["aspire-dashboard"].Text("image"));
        foreach (var (name, env) in TradeNetServices)
        {
            Assert.Equal(otlp, Manifests.Target(((YamlScalarNode)env["OTEL_EXPORTER_OTLP_ENDPOINT"]).Value!));
            Assert.Equal(protocol, ((YamlScalarNode)env["OTEL_EXPORTER_OTLP_PROTOCOL"]).Value);
        }
    }

    [Fact]
    public void Compose_and_kubernetes_run_each_deployable_on_the_same_ports()
    {
        var compose = TradeNetServices.ToDictionary(s => s.Name, s => s.Env);

        Assert.Equal(Manifests.Deployables.Order(), compose.Keys.Order());
        Assert.All(compose.Values.SelectMany(env => env.Where(e => e.Key.StartsWith("Endpoints__", StringComparison.Ordinal))),
            e => Assert.True(Manifests.IsEveryInterface(((YamlScalarNode)e.Value).Value!), $"{e.Key}: {e.Value}"));
        foreach (var name in Manifests.Deployables)
            foreach (var endpoint in new[] { "Endpoints__Rest", "Endpoints__Grpc" })
                Assert.Equal(Manifests.EnvValue(Manifests.Container(name), endpoint) is { } url ? Manifests.PortOf(url) : null,
                    compose[name].GetValueOrDefault(endpoint) is YamlScalarNode { Value: { } value } ? Manifests.PortOf(value) : (int?)null);
    }
}
