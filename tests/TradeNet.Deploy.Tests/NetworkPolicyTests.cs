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
    public void Every_pod_denies_what_no_policy_admits()
    {
        var deny = Assert.Single(Policies, p => p.At("spec", "podSelector") is YamlMappingNode { Children.Count: 0 });
        Assert.Equal(["Ingress"], deny.Items("spec", "policyTypes").Select(t => ((YamlScalarNode)t).Value));
        Assert.Empty(deny.Items("spec", "ingress"));
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

    private static bool Selects(YamlNode? selector, string name) =>
        NameLabel(selector) == name
        || (selector?.Items("matchExpressions") ?? []).Any(e => e.Text("key") == "app.kubernetes.io/name" && e.Text("operator") == "In"
            && e.Items("values").Any(v => ((YamlScalarNode)v).Value == name));
}
