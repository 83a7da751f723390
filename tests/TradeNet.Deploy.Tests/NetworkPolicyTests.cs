using YamlDotNet.RepresentationModel;
using static TradeNet.Deploy.Tests.Manifests;

namespace TradeNet.Deploy.Tests;

/// <summary>deploy/kubernetes/network-policy.yaml against the addresses the pods are given: every call a pod makes is
/// admitted, and nothing else reaches the services.</summary>
public class NetworkPolicyTests
{
    private static IEnumerable<YamlMappingNode> Policies => Objects.Where(o => o.Text("kind") == "NetworkPolicy");

    private static string? NameLabel(YamlNode? selector) => selector?.Text("matchLabels", "app.kubernetes.io/name");

    /// <summary>Who calls which address, read from the manifests themselves.</summary>
    public static TheoryData<string, string> Calls()
    {
        var calls = new TheoryData<string, string>();
        foreach (var (name, value, _) in Env(Container("gateway")).Where(e => e.Name.StartsWith("ReverseProxy__", StringComparison.Ordinal)))
            calls.Add("gateway", value!);
        foreach (var caller in new[] { "gateway", "matching", "logistics" })
            calls.Add(caller, EnvValue(Container(caller), "Services__Catalog__Grpc")!);
        calls.Add("matching", EnvValue(Container("matching"), "Services__Logistics__Grpc")!);
        foreach (var caller in Deployables)
            calls.Add(caller, EnvValue(Container(caller), "OTEL_EXPORTER_OTLP_ENDPOINT")!);
        return calls;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Every_address_a_pod_is_given_is_admitted_to_the_pods_behind_it(string caller, string address)
    {
        var (host, port) = Target(address);
        var service = Object("Service", host);
        var target = Selected(service.At("spec", "selector")!);
        var targetName = target.Text("metadata", "name")!;
        var servicePort = service.Items("spec", "ports").Single(p => int.Parse(p.Text("port")!) == port);
        var containerPort = ContainerPort(Container(target), servicePort.Text("targetPort")!);

        Assert.True(Admits(targetName, caller, containerPort), $"{caller} → {address} ({targetName}:{containerPort}) is not admitted");
    }

    [Fact]
    public void Every_pod_these_manifests_run_denies_what_no_policy_admits()
    {
        var deny = Assert.Single(Policies, p => !p.Items("spec", "ingress").Any());
        Assert.Equal(["Ingress"], deny.Items("spec", "policyTypes").Select(t => ((YamlScalarNode)t).Value));

        Assert.All(Deployments, d => Assert.True(SelectsLabels(deny.At("spec", "podSelector"), PodLabels(d)), d.Text("metadata", "name")));
    }

    /// <summary>The README has RabbitMQ and MongoDB run in this namespace (<c>rabbitmq:5672</c>, <c>mongo-0.mongo-svc</c>, from
    /// their operators). A deny over every pod of the namespace (<c>podSelector: {}</c>) cut TradeNet off from both, and the
    /// broker's and the database's nodes from each other; which ports their pods need is their operators' business.</summary>
    [Theory]
    [InlineData("app.kubernetes.io/name", "rabbitmq")] // a RabbitmqCluster named rabbitmq (RabbitMQ Cluster Operator)
    [InlineData("app", "mongo-svc")] // a MongoDBCommunity named mongo (MongoDB Community Operator)
    public void No_policy_selects_a_pod_these_manifests_do_not_run(string label, string value)
    {
        var selecting = Policies.Where(p => SelectsLabels(p.At("spec", "podSelector"), new() { [label] = value }))
            .Select(p => p.Text("metadata", "name")).ToList();

        Assert.Empty(selecting);
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("matching")]
    [InlineData("logistics")]
    [InlineData("aspire-dashboard")]
    public void Only_the_gateway_takes_traffic_from_anywhere(string pod)
    {
        var rules = Policies.Where(p => NameLabel(p.At("spec", "podSelector")) == pod).SelectMany(p => p.Items("spec", "ingress")).ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.NotEmpty(r.Items("from")));
        Assert.True(Admits("gateway", "anyone", 5000));
    }

    [Fact]
    public void The_services_do_not_admit_each_other_where_no_call_goes()
    {
        Assert.False(Admits("matching", "logistics", 5201));
        Assert.False(Admits("matching", "catalog", 5201));
        Assert.False(Admits("catalog", "matching", 5101));
        Assert.False(Admits("logistics", "catalog", 5302));
    }

    /// <summary>Whether some policy selecting <paramref name="pod"/> admits <paramref name="caller"/> on <paramref name="port"/>.</summary>
    private static bool Admits(string pod, string caller, int port) =>
        Policies.Where(p => NameLabel(p.At("spec", "podSelector")) == pod)
            .SelectMany(p => p.Items("spec", "ingress"))
            .Any(rule => rule.Items("ports").Any(p => int.Parse(p.Text("port")!) == port)
                && (!rule.Items("from").Any() || rule.Items("from").Any(from => Selects(from.At("podSelector"), caller))));

    private static bool Selects(YamlNode? selector, string name) => SelectsLabels(selector, new() { ["app.kubernetes.io/name"] = name });

    private static Dictionary<string, string> PodLabels(YamlMappingNode deployment) =>
        Yaml.Entries((YamlMappingNode)deployment.At("spec", "template", "metadata", "labels")!)
            .ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value!);

    /// <summary>Whether a label selector picks a pod with these labels, as Kubernetes reads one: every matchLabels entry and
    /// every matchExpressions requirement holds, so an empty selector picks every pod of the namespace.</summary>
    private static bool SelectsLabels(YamlNode? selector, Dictionary<string, string> labels)
    {
        if (selector is null) return false;
        var matchLabels = selector.At("matchLabels") is YamlMappingNode map ? Yaml.Entries(map) : [];
        return matchLabels.All(l => labels.GetValueOrDefault(l.Key) == ((YamlScalarNode)l.Value).Value)
            && selector.Items("matchExpressions").All(e =>
            {
                var has = labels.TryGetValue(e.Text("key")!, out var value);
                var values = e.Items("values").Select(v => ((YamlScalarNode)v).Value).ToList();
                return e.Text("operator") switch
                {
                    "In" => has && values.Contains(value),
                    "NotIn" => !has || !values.Contains(value),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    var op => throw new InvalidOperationException($"unknown selector operator {op}"),
                };
            });
    }
}
