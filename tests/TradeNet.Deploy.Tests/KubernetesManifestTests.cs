using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static TradeNet.Deploy.Tests.Manifests;

namespace TradeNet.Deploy.Tests;

public class KubernetesManifestTests
{
    public static TheoryData<string> EachDeployable => new(Deployables);

    [Fact]
    public void The_kustomization_applies_every_manifest_in_the_folder()
    {
        var listed = Kustomization.Items("resources").Select(r => ((YamlScalarNode)r).Value!).Order();
        var files = Directory.GetFiles(Path.Combine(Yaml.RepoRoot, Folder), "*.yaml").Select(Path.GetFileName)
            .Where(f => f != "kustomization.yaml").Order();

        Assert.Equal(files, listed);
    }

    [Fact]
    public void Every_tradenet_image_is_built_by_a_dockerfile_and_can_be_pointed_at_a_registry()
    {
        var images = Kustomization.Items("images").Select(i => i.Text("name")).ToHashSet();
        var built = Deployments.Select(Container).Where(IsTradeNet).Select(c => c.Text("image")!).ToList();

        Assert.Equal(Deployables.Select(d => $"tradenet/{d}").Order(), built.Order());
        foreach (var image in built)
        {
            Assert.Contains(image, images);
            Assert.True(File.Exists(Path.Combine(Yaml.RepoRoot, "deploy", "docker", $"{image["tradenet/".Length..]}.Dockerfile")), image);
        }
    }

    [Theory]
    [MemberData(nameof(EachDeployable))]
    public void Each_deployable_listens_where_its_service_and_probes_point(string name)
    {
        var deployment = Object("Deployment", name);
        var container = Container(deployment);
        var service = Object("Service", name);
        Object("PodDisruptionBudget", name);

        var rest = ContainerPort(container, "rest");
        Assert.Equal(rest, PortOf(EnvValue(container, "Endpoints__Rest")!));
        Assert.All(new[] { "Endpoints__Rest", "Endpoints__Grpc" }.Select(e => EnvValue(container, e)).OfType<string>(),
            url => Assert.True(IsEveryInterface(url), url));
        var grpcUrl = EnvValue(container, "Endpoints__Grpc");
        Assert.Equal(grpcUrl is not null, container.Items("ports").Any(p => p.Text("name") == "grpc"));
        if (grpcUrl is not null) Assert.Equal(ContainerPort(container, "grpc"), PortOf(grpcUrl));
        // The image's own default port (Dockerfile) is the same, so compose and Kubernetes run one image alike.
        var dockerfile = File.ReadAllText(Path.Combine(Yaml.RepoRoot, "deploy", "docker", $"{name}.Dockerfile"));
        Assert.Contains($"EXPOSE {rest}", dockerfile);

        foreach (var port in service.Items("spec", "ports"))
            Assert.Equal(ContainerPort(container, port.Text("targetPort")!), int.Parse(port.Text("port")!));
        Assert.Equal(("/health", "rest"), (container.Text("readinessProbe", "httpGet", "path"), container.Text("readinessProbe", "httpGet", "port")));
        Assert.Equal(("/alive", "rest"), (container.Text("livenessProbe", "httpGet", "path"), container.Text("livenessProbe", "httpGet", "port")));

        var podLabels = Yaml.Entries((YamlMappingNode)deployment.At("spec", "template", "metadata", "labels")!);
        foreach (var selector in new[] { service.At("spec", "selector"), deployment.At("spec", "selector", "matchLabels"),
                     Object("PodDisruptionBudget", name).At("spec", "selector", "matchLabels") })
            foreach (var (key, value) in Yaml.Entries((YamlMappingNode)selector!))
                Assert.Equal(((YamlScalarNode)podLabels[key]).Value, ((YamlScalarNode)value).Value);
    }

    [Fact]
    public void Every_setting_a_tradenet_pod_reads_binds_to_the_code()
    {
        var names = Deployments.Select(Container).Where(IsTradeNet).SelectMany(c => Env(c).Select(e => e.Name))
            .Concat(Objects.Where(o => o.Text("kind") == "ConfigMap").SelectMany(o => Yaml.Entries((YamlMappingNode)o.At("data")!).Keys));

        var problems = names.Distinct().Select(n => (n, SettingNames.Problem(n))).Where(p => p.Item2 is not null).ToList();

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_secret_a_pod_reads_is_one_the_readme_tells_to_create()
    {
        var readme = File.ReadAllText(Path.Combine(Yaml.RepoRoot, Folder, "README.md"));
        var created = Regex.Matches(readme, @"--from-literal=([a-z-]+)=").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("kubectl -n tradenet create secret generic tradenet-secrets", readme);

        var read = Deployments.Select(Container).SelectMany(Env).Where(e => e.SecretRef is not null).ToList();

        Assert.All(read, e => Assert.Equal("tradenet-secrets", e.SecretRef!.Text("name")));
        Assert.Equal(created.Order(), read.Select(e => e.SecretRef!.Text("key")!).Distinct().Order());
    }

    /// <summary>The manifests are committed and applied as they are: a key, password or connection string (which holds the
    /// database's password) written in one as a value or in the ConfigMap is everyone's who can read the repository or the
    /// namespace's ConfigMaps.</summary>
    [Fact]
    public void Secret_settings_come_from_the_secret_and_are_never_written_in_a_manifest()
    {
        var secretLike = new Regex("(Key|Password|ConnectionString)$");
        var written = Deployments.Select(Container).SelectMany(Env).Where(e => e.SecretRef is null).Select(e => e.Name)
            .Concat(Objects.Where(o => o.Text("kind") == "ConfigMap").SelectMany(o => Yaml.Entries((YamlMappingNode)o.At("data")!).Keys))
            .Where(name => secretLike.IsMatch(name)).ToList();

        Assert.Empty(written);
        // Every TradeNet process signs or checks the gateway's tokens with the same key.
        Assert.All(Deployments.Select(Container).Where(IsTradeNet),
            c => Assert.Contains(Env(c), e => e.Name == "Auth__InternalTokenKey" && e.SecretRef is not null));
    }

    [Fact]
    public void The_pods_find_each_other_by_service_name_and_port()
    {
        var gateway = Container("gateway");
        var addresses = Env(gateway).Where(e => e.Name.StartsWith("ReverseProxy__", StringComparison.Ordinal)).Select(e => e.Value!)
            .Concat(new[] { "Services__Catalog__Grpc", "Services__Logistics__Grpc", "OTEL_EXPORTER_OTLP_ENDPOINT" }
                .Select(n => EnvValue(Container("catalog"), n)!))
            .ToList();

        Assert.Equal(6, addresses.Count);
        foreach (var address in addresses)
        {
            var (host, port) = Target(address);
            var ports = Object("Service", host).Items("spec", "ports").Select(p => int.Parse(p.Text("port")!));
            Assert.Contains(port, ports);
        }
    }

    /// <summary>YARP forwards the REST calls as HTTP/1.1: a cluster pointed at another service, or at a service's HTTP/2-only
    /// gRPC port (which the same Service also carries), answers its routes with 502; one left at gateway.json's default
    /// calls the gateway pod itself.</summary>
    [Fact]
    public void Each_gateway_cluster_reaches_the_rest_port_of_its_service()
    {
        var destinations = Env(Container("gateway")).Select(e => (Match: ClusterDestination().Match(e.Name), e.Value))
            .Where(d => d.Match.Success).Select(d => (Cluster: d.Match.Groups[1].Value, Address: d.Value!)).ToList();

        Assert.Equal(SettingNames.GatewayClusterNames.Order(), destinations.Select(d => d.Cluster).Distinct().Order());
        foreach (var (cluster, address) in destinations)
        {
            var (host, port) = Target(address);
            var service = Object("Service", host);
            var servicePort = service.Items("spec", "ports").Single(p => int.Parse(p.Text("port")!) == port);
            var target = Selected(service.At("spec", "selector")!);
            Assert.Equal((cluster, "rest"), (target.Text("metadata", "name"), servicePort.Text("targetPort")));
            Assert.Equal(ContainerPort(Container(target), "rest"), PortOf(EnvValue(Container(target), "Endpoints__Rest")!));
        }
    }

    /// <summary>The gateway authenticates keys, matching reserves listings and logistics checks vehicles' home towns
    /// with catalog's gRPC service; without the address each would dial its local default and fail.</summary>
    [Theory]
    [InlineData("gateway")]
    [InlineData("matching")]
    [InlineData("logistics")]
    public void Each_catalog_caller_is_given_catalogs_grpc_address(string caller)
    {
        var address = EnvValue(Container(caller), "Services__Catalog__Grpc");

        Assert.NotNull(address);
        var (host, port) = Target(address);
        Assert.Equal("catalog", Selected(Object("Service", host).At("spec", "selector")!).Text("metadata", "name"));
        Assert.Equal(ContainerPort(Container("catalog"), "grpc"), port);
    }

    [Fact]
    public void Every_grpc_address_in_the_config_map_names_a_headless_service_of_the_pods_grpc_port()
    {
        var grpc = Objects.Where(o => o.Text("kind") == "ConfigMap")
            .SelectMany(o => Yaml.Entries((YamlMappingNode)o.At("data")!))
            .Where(e => Regex.IsMatch(e.Key, "^Services__[A-Za-z]+__Grpc$"))
            .ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value!);

        Assert.Equal(["Services__Catalog__Grpc", "Services__Logistics__Grpc"], grpc.Keys.Order());
        foreach (var (name, address) in grpc)
        {
            // dns:/// is what makes the client balance per call (AddTradeNetGrpcClient); http:// would pin it to one pod.
            Assert.StartsWith("dns:///", address);
            var (host, port) = Target(address);
            var service = Object("Service", host);
            Assert.True(IsHeadless(service), $"{name}: Service {host} is headless");
            var servicePort = Assert.Single(service.Items("spec", "ports"));
            // A headless Service maps no ports: clients dial the pod's own port, so the two must be one.
            var container = Container(Selected(service.At("spec", "selector")!));
            Assert.Equal(("grpc", port), (servicePort.Text("targetPort"), int.Parse(servicePort.Text("port")!)));
            Assert.Equal(port, ContainerPort(container, "grpc"));
            Assert.Equal(port, PortOf(EnvValue(container, "Endpoints__Grpc")!));
        }
    }

    [Fact]
    public void Every_pod_runs_unprivileged_on_a_read_only_file_system_within_limits()
    {
        Assert.Equal("restricted", Object("Namespace", "tradenet").Text("metadata", "labels", "pod-security.kubernetes.io/enforce"));
        foreach (var deployment in Deployments)
        {
            var name = deployment.Text("metadata", "name");
            var container = Container(deployment);
            Assert.Equal(("true", "false"), (deployment.Text("spec", "template", "spec", "securityContext", "runAsNonRoot"),
                deployment.Text("spec", "template", "spec", "automountServiceAccountToken")));
            Assert.Equal(("false", "true"), (container.Text("securityContext", "allowPrivilegeEscalation"),
                container.Text("securityContext", "readOnlyRootFilesystem")));
            Assert.Equal(["ALL"], container.Items("securityContext", "capabilities", "drop").Select(n => ((YamlScalarNode)n).Value));
            Assert.True(container.Text("resources", "limits", "memory") is not null && container.Text("resources", "limits", "cpu") is not null, $"{name} has limits");
            Assert.Contains(container.Items("volumeMounts"), m => m.Text("mountPath") == "/tmp");
        }
    }
}
