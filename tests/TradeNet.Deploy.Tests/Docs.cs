using System.Text.RegularExpressions;

namespace TradeNet.Deploy.Tests;

/// <summary>The repository's Markdown documents read as lines, and the C# sources the documents cite, read as text: what
/// <see cref="DocCitationTests"/> checks the citations against.</summary>
internal static partial class Docs
{
    /// <summary>One line of a document; <paramref name="Code"/> when it is inside a fenced code block.</summary>
    public sealed record Line(string File, int Number, string Text, bool Code)
    {
        public override string ToString() => $"{File}:{Number}";

        /// <summary>The text of each `…` span on the line (a code block's line is one span as a whole).</summary>
        public IEnumerable<string> Spans => Code ? [Text] : BacktickSpan().Matches(Text).Select(m => m.Groups[1].Value);
    }

    /// <summary>README.md, docs/*.md and every README beside the code (services, deploy, tests): of the repository's own
    /// files (<see cref="RepositoryFiles"/>), not a developer's scratch notes.</summary>
    public static IReadOnlyList<string> Files { get; } = RepositoryFiles.All.Where(f => f.EndsWith(".md", StringComparison.Ordinal)).ToList();

    public static IReadOnlyList<Line> Lines { get; } = Files.SelectMany(Read).ToList();

    private static IEnumerable<Line> Read(string file)
    {
        var code = false;
        var number = 0;
        foreach (var text in File.ReadLines(Path.Combine(Yaml.RepoRoot, file)))
        {
            number++;
            if (text.TrimStart().StartsWith("```", StringComparison.Ordinal)) { code = !code; continue; }
            yield return new Line(file, number, text, code);
        }
    }

    /// <summary>Every .cs file of the repository (path relative to its root → text).</summary>
    public static IReadOnlyDictionary<string, string> Sources { get; } = RepositoryFiles.All
        .Where(f => f.EndsWith(".cs", StringComparison.Ordinal))
        .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(Yaml.RepoRoot, f)));

    /// <summary>Each type declared in the repository, with its namespace, its file and the file's text.</summary>
    public static IReadOnlyList<(string Name, string FullName, string File, string Text)> TypeDeclarations { get; } = Sources
        .SelectMany(s => TypeDeclaration().Matches(s.Value).Select(m =>
            (m.Groups[1].Value, $"{FileNamespace().Match(s.Value).Groups[1].Value}.{m.Groups[1].Value}", s.Key, s.Value)))
        .ToList();

    /// <summary>The types declared under tests/.</summary>
    public static IReadOnlyList<(string Name, string FullName, string File, string Text)> TestTypeDeclarations { get; } =
        TypeDeclarations.Where(t => t.File.StartsWith("tests/", StringComparison.Ordinal)).ToList();

    /// <summary>Each type of the code (services, gateway, deploy) by name → the text of every file declaring it (partial
    /// classes span several), where its members are looked for.</summary>
    public static IReadOnlyDictionary<string, string> CodeTypes { get; } =
        ByName(TypeDeclarations.Where(t => !t.File.StartsWith("tests/", StringComparison.Ordinal)));

    /// <summary>The same for the types declared under tests/.</summary>
    public static IReadOnlyDictionary<string, string> TestTypes { get; } = ByName(TestTypeDeclarations);

    private static Dictionary<string, string> ByName(IEnumerable<(string Name, string FullName, string File, string Text)> types) =>
        types.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => string.Join("\n", g.Select(t => t.Text).Distinct()));

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex BacktickSpan();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"(?m)^namespace\s+([\w.]+)")]
    private static partial Regex FileNamespace();
}
