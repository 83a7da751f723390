using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace TradeNet.Deploy.Tests;

/// <summary>deploy/docker/{deployable}.Dockerfile read as instructions (continuation lines joined). No Docker engine runs
/// here, so what a build or a container would find out is read from the files.</summary>
internal static partial class Dockerfiles
{
    public static string PathOf(string deployable) => $"deploy/docker/{deployable}.Dockerfile";

    /// <summary>Each instruction as (KEYWORD, arguments), comments left out.</summary>
    public static IReadOnlyList<(string Keyword, string Args)> Instructions(string deployable)
    {
        var joined = Continuation().Replace(File.ReadAllText(Path.Combine(Yaml.RepoRoot, PathOf(deployable))), " ");
        return joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2)).Select(p => (p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : "")).ToList();
    }

    /// <summary>The image's own environment (its last stage's ENV name=value pairs).</summary>
    public static Dictionary<string, string> Env(string deployable) => LastStage(deployable).Where(i => i.Keyword == "ENV")
        .SelectMany(i => EnvPair().Matches(i.Args)).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    /// <summary>The instructions from the last FROM on: what the image is made of.</summary>
    public static IReadOnlyList<(string Keyword, string Args)> LastStage(string deployable)
    {
        var all = Instructions(deployable);
        return all.Skip(all.Select((i, n) => (i, n)).Last(x => x.i.Keyword == "FROM").n).ToList();
    }

    /// <summary>The project files <c>dotnet publish</c> builds (the deployable, the health probe).</summary>
    public static IReadOnlyList<string> PublishedProjects(string deployable) => Instructions(deployable)
        .SelectMany(i => Published().Matches(i.Args)).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>The folders the build stages copy from the build context (COPY without --from).</summary>
    public static IReadOnlyList<string> CopiedFolders(string deployable) => Instructions(deployable)
        .Where(i => i.Keyword == "COPY" && !i.Args.StartsWith("--from", StringComparison.Ordinal))
        .SelectMany(i => i.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
        .Where(s => s.EndsWith('/')).Distinct().ToList();

    /// <summary>A project and every project it references, transitively, as paths relative to the repository root.</summary>
    public static IReadOnlySet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            var dir = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(Path.Combine(Yaml.RepoRoot, current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(Yaml.RepoRoot, dir, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(Yaml.RepoRoot, full).Replace('\\', '/'));
            }
        }
        return seen;
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S*)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex Published();
}
