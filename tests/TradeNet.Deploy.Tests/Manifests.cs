using YamlDotNet.RepresentationModel;

namespace TradeNet.Deploy.Tests;

/// <summary>The Kubernetes manifests under deploy/kubernetes, one YAML document per object.</summary>
internal static partial class Manifests
{
    public const string Folder = "deploy/kubernetes";
    public static readonly string[] Deployables = ["catalog", "matching", "logistics", "gateway"];

    public static IReadOnlyList<YamlMappingNode> Objects { get; } =
        Directory.GetFiles(Path.Combine(Yaml.RepoRoot, Folder), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => Yaml.Documents(Path.GetRelativePath(Yaml.RepoRoot, f)))
            .ToList();

    public static YamlMappingNode Kustomization => Yaml.Documents($"{Folder}/kustomization.yaml").Single();

    public static YamlMappingNode Object(string kind, string name) =>
        Objects.Single(o => o.Text("kind") == kind && o.Text("metadata", "name") == name);

    public static IEnumerable<YamlMappingNode> Deployments => Objects.Where(o => o.Text("kind") == "Deployment");

    public static YamlMappingNode Container(YamlMappingNode deployment) =>
        (YamlMappingNode)deployment.Items("spec", "template", "spec", "containers").Single();

    public static YamlMappingNode Container(string deployable) => Container(Object("Deployment", deployable));

    public static bool IsTradeNet(YamlMappingNode container) => container.Text("image")!.StartsWith("tradenet/", StringComparison.Ordinal);

    /// <summary>A container's literal environment (secret references have no value here) and where each comes from.</summary>
    public static IEnumerable<(string Name, string? Value, YamlNode? SecretRef)> Env(YamlMappingNode container) =>
        container.Items("env").Select(e => (e.Text("name")!, e.Text("value"), e.At("valueFrom", "secretKeyRef")));

    public static string? EnvValue(YamlMappingNode container, string name) =>
        Env(container).SingleOrDefault(e => e.Name == name).Value
        ?? container.Items("envFrom").Select(f => f.Text("configMapRef", "name")).OfType<string>()
            .Select(map => Object("ConfigMap", map).Text("data", name)).FirstOrDefault(v => v is not null);

    public static int ContainerPort(YamlMappingNode container, string portName) =>
        int.Parse(container.Items("ports").Single(p => p.Text("name") == portName).Text("containerPort")!);

    /// <summary>The port of a URL such as http://0.0.0.0:5101 or http://catalog:5102.</summary>
    public static int PortOf(string url) => new Uri(url).Port;

    /// <summary>Whether a listen address (Endpoints:Rest, Endpoints:Grpc) takes connections on every interface, as a container's
    /// must: on loopback the probes, the other containers and the gateway would all be refused.</summary>
    public static bool IsEveryInterface(string listenUrl) =>
        new Uri(TradeNet.Shared.Hosting.ServiceDefaults.AnyHostAsZeros(listenUrl)).Host is "0.0.0.0" or "[::]";

    /// <summary>The host and port an address reaches: http://catalog:5102, or dns:///catalog-grpc:5102 (gRPC's
    /// resolver form, where the target is the path).</summary>
    public static (string Host, int Port) Target(string address)
    {
        var uri = new Uri(address);
        if (uri.Scheme != "dns") return (uri.Host, uri.Port);
        var target = new Uri("http://" + uri.AbsolutePath.TrimStart('/'));
        return (target.Host, target.Port);
    }

    /// <summary>A gateway setting that points a YARP cluster at a destination: ReverseProxy__Clusters__{cluster}__Destinations__{name}__Address.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^ReverseProxy__Clusters__([^_]+)__Destinations__[^_]+__Address$")]
    public static partial System.Text.RegularExpressions.Regex ClusterDestination();

    /// <summary>Whether a Service is headless: DNS answers with its pods' own addresses rather than one virtual IP.</summary>
    public static bool IsHeadless(YamlMappingNode service) => service.Text("spec", "clusterIP") == "None";

    /// <summary>The Deployment whose pods a selector picks.</summary>
    public static YamlMappingNode Selected(YamlNode selector) =>
        Deployments.Single(d => Yaml.Entries((YamlMappingNode)selector).All(s =>
            d.Text("spec", "template", "metadata", "labels", s.Key) == ((YamlScalarNode)s.Value).Value));
}
