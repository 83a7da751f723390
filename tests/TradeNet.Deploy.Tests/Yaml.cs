using YamlDotNet.RepresentationModel;

namespace TradeNet.Deploy.Tests;

/// <summary>Reading deployment files as YAML trees: paths into mappings, merge keys (compose's <c>&lt;&lt;: *anchor</c>) applied.</summary>
internal static class Yaml
{
    public static string RepoRoot { get; } = FindRoot();

    public static IReadOnlyList<YamlMappingNode> Documents(string relativePath)
    {
        using var reader = new StreamReader(Path.Combine(RepoRoot, relativePath));
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    /// <summary>The child at a path of keys, or null when any step is missing.</summary>
    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var key in path)
            current = current is YamlMappingNode map ? Entries(map).GetValueOrDefault(key) : null;
        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.At(path) as YamlSequenceNode ?? Enumerable.Empty<YamlNode>();

    /// <summary>A mapping's entries with merge keys resolved (own keys win over merged ones).</summary>
    public static Dictionary<string, YamlNode> Entries(YamlMappingNode map)
    {
        var entries = new Dictionary<string, YamlNode>();
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name == "<<" && value is YamlMappingNode merged)
                foreach (var (k, v) in Entries(merged)) entries.TryAdd(k, v);
            else entries[name] = value;
        }
        return entries;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TradeNet.sln"))) return dir.FullName;
        throw new InvalidOperationException("TradeNet.sln not found above " + AppContext.BaseDirectory);
    }
}
