using System.Text.RegularExpressions;

namespace TradeNet.Deploy.Tests;

/// <summary>What the documents cite by name — a repository path, a test class or method, a test filter, a setting — exists
/// under that name. Operators and developers follow the docs to the letter: a renamed test or file, or a setting spelt
/// otherwise than the code reads it (which .NET configuration silently ignores), would send them nowhere.</summary>
public partial class DocCitationTests
{
    // Each test first finds what the docs cite, and fails when that is nothing: a reading that found no citation at all (the
    // docs moved, a pattern broken) would pass every check.

    [Fact]
    public void Every_repository_path_the_docs_cite_exists()
    {
        var cited = Docs.Lines.SelectMany(l => CitedPaths(l.Text).Select(path => (Line: l, Path: path)))
            .Where(c => !IsPlaceholder(c.Path) && !IsWrittenAtRunTime(c.Path)).ToList();

        var missing = cited.Where(c => !Exists(c.Path)).Select(c => $"{c.Line}: {c.Path}").ToList();

        Assert.NotEmpty(cited);
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void Every_test_class_and_member_the_docs_cite_exists()
    {
        var cited = Docs.Lines.SelectMany(l => TestCitation().Matches(l.Text).Select(m => (Line: l, Match: m))).ToList();

        var missing = new List<string>();
        foreach (var (line, m) in cited)
        {
            var (type, member, prefix) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Success);
            if (!Docs.TestTypes.TryGetValue(type, out var text)) missing.Add($"{line}: no test class {type}");
            // "XTests.cs" names the file, already the class's.
            else if (member is not ("" or "cs") && !HasMember(text, member, prefix))
                missing.Add($"{line}: {type} has no member {member}{(prefix ? "…" : "")}");
        }

        Assert.NotEmpty(cited);
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    /// <summary>`Type.Member` in a span, where Type is declared in this repository's code (a framework's or library's type,
    /// a namespace such as Core.RoutingProblem, or a test's stand-in named after a library's type, is not this check's;
    /// test classes are the check above's).</summary>
    [Fact]
    public void Every_member_of_a_repository_type_the_docs_cite_exists()
    {
        var cited = Docs.Lines
            .SelectMany(l => l.Spans.SelectMany(s => MemberCitation().Matches(s))
                .Select(m => (Line: l, Type: m.Groups[1].Value, Member: m.Groups[2].Value, Prefix: m.Groups[3].Success)))
            .Where(c => Docs.CodeTypes.ContainsKey(c.Type)).ToList();

        var missing = cited.Where(c => !HasMember(Docs.CodeTypes[c.Type], c.Member, c.Prefix))
            .Select(c => $"{c.Line}: {c.Type} has no member {c.Member}{(c.Prefix ? "…" : "")}").Distinct().ToList();

        Assert.NotEmpty(cited);
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void Every_test_filter_the_docs_give_selects_a_test()
    {
        var names = Docs.TestTypeDeclarations.Select(t => t.FullName).ToList();
        // The filter matches Namespace.Class.Method: a part of a class's full name, or of a method name.
        bool Selects(string value) => names.Any(n => n.Contains(value, StringComparison.Ordinal))
            || Docs.TestTypes.Values.Any(text => Regex.IsMatch(text, $@"\w*{Regex.Escape(value)}\w*\s*\("));
        var cited = Docs.Lines.SelectMany(l => TestFilter().Matches(l.Text).Select(m => (Line: l, Value: m.Groups[1].Value))).ToList();

        var missing = cited.Where(f => !Selects(f.Value)).Select(f => $"{f.Line}: FullyQualifiedName~{f.Value} selects nothing").ToList();

        Assert.NotEmpty(cited);
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    /// <summary>A key of TradeNet's own sections (not the framework's, YARP's or OpenTelemetry's), written as a doc names it:
    /// a whole `Section:Key` span, an environment assignment <c>Section__Key=</c> or a command-line <c>--Section:Key=</c>.
    /// It binds to an options type (<see cref="SettingNames"/>) or is read by name in the code.</summary>
    [Fact]
    public void Every_setting_the_docs_name_is_one_the_code_reads()
    {
        var own = SettingNames.SectionNames.Concat(["Standalone", "TradeNet", "Services", "Endpoints"]).ToHashSet();
        var code = Docs.Sources.Where(s => !s.Key.StartsWith("tests/", StringComparison.Ordinal)).Select(s => s.Value).ToList();
        var cited = Docs.Lines
            .SelectMany(l => l.Spans.SelectMany(SettingsIn).Select(k => (Line: l, Key: k)))
            .Where(c => own.Contains(c.Key.Split(':')[0]) && !c.Key.Contains('{') && !c.Key.Contains('*')).ToList();

        var unread = cited.Where(c => !IsRead(c.Key, code))
            .Select(c => $"{c.Line}: {c.Key} — {SettingNames.Problem(EnvName(c.Key))}").Distinct().ToList();

        Assert.NotEmpty(cited);
        Assert.True(unread.Count == 0, string.Join("\n", unread));
    }

    [Theory]
    [InlineData("Read docs/operations.md.", "docs/operations.md")]
    [InlineData("[Backups](docs/operations.md#backups-and-restore) says how.", "docs/operations.md")]
    [InlineData("As docs/operations.md: the operator's book.", "docs/operations.md")]
    [InlineData("See services/Shared/Storage/OutboxRelay.cs:42 and tests/TradeNet.Deploy.Tests/Docs.cs:10-20.", "services/Shared/Storage/OutboxRelay.cs tests/TradeNet.Deploy.Tests/Docs.cs")]
    [InlineData("Is it in docs/operations.md? Or in docs/architecture.md!", "docs/operations.md docs/architecture.md")]
    public void A_path_is_cited_without_the_anchor_line_or_punctuation_prose_puts_after_it(string line, string paths) =>
        Assert.Equal(paths.Split(' '), CitedPaths(line));

    /// <summary>The repository paths a line cites, as paths: a link's <c>#anchor</c>, a <c>:line</c> and the punctuation of
    /// the sentence around it are not part of the file's name.</summary>
    internal static IEnumerable<string> CitedPaths(string line) => RepositoryPath().Matches(line)
        .Where(m => !IsKubectlResource(line, m.Index))
        .Select(m => TrailingNotPath().Replace(m.Groups[1].Value, ""));

    private static IEnumerable<string> SettingsIn(string span)
    {
        if (WholeKey().Match(span) is { Success: true } whole) yield return whole.Groups[1].Value;
        foreach (Match m in AssignedKey().Matches(span)) yield return m.Groups[1].Value.Replace("__", ":");
        foreach (Match m in CommandLineKey().Matches(span)) yield return m.Groups[1].Value;
    }

    private static bool IsRead(string key, IReadOnlyList<string> sources)
    {
        // "Gateway:Operators:N:Key": N stands for any index.
        var bound = string.Join(':', key.Split(':').Select(p => p == "N" ? "0" : p));
        // A list setting (Logistics:ChilledCategories) is named whole and set item by item.
        return SettingNames.Problem(EnvName(bound)) is null || SettingNames.Problem(EnvName(bound) + "__0") is null || sources.Any(s => s.Contains($"\"{key}\"", StringComparison.Ordinal));
    }

    private static string EnvName(string key) => key.Replace(":", "__");

    private static bool HasMember(string classText, string member, bool prefix) =>
        prefix ? Regex.IsMatch(classText, $@"\b{Regex.Escape(member)}\w*")
               : Regex.IsMatch(classText, $@"\b{Regex.Escape(member)}\b");

    /// <summary>On a kubectl command line only the argument of -k or -f is a path: <c>deploy/gateway</c> is a Deployment.</summary>
    private static bool IsKubectlResource(string line, int at) =>
        line.TrimStart().StartsWith("kubectl ", StringComparison.Ordinal) && !line[..at].EndsWith("-k ", StringComparison.Ordinal)
        && !line[..at].EndsWith("-f ", StringComparison.Ordinal);

    private static bool IsPlaceholder(string path) =>
        path.Contains('…') || path.Contains("...") || path.Contains('<') || path.Contains('{') || path.Contains('$');

    /// <summary>Under a folder the repository ignores (bin/, a host's data folder): made by a build or a run, cited as
    /// where to find what it wrote.</summary>
    private static bool IsWrittenAtRunTime(string path) => IgnoredFolders.Value.Any(ignored =>
        ignored.StartsWith('/') ? (path + "/").StartsWith(ignored[1..], StringComparison.Ordinal)
                                : path.Split('/').Contains(ignored.TrimEnd('/')));

    private static readonly Lazy<string[]> IgnoredFolders = new(() => File.ReadAllLines(Path.Combine(Yaml.RepoRoot, ".gitignore"))
        .Select(l => l.Trim()).Where(l => l.EndsWith('/') && !l.StartsWith('#')).ToArray());

    // Against the repository's files, not the disk: a scratch file in an ignored folder is not in a clean clone.
    private static bool Exists(string path) => RepositoryFiles.Contains(path);

    // A path starting at one of the repository's top folders, not part of a longer path (../shared/…, a URL).
    [GeneratedRegex(@"(?<![\w./~:-])((?:services|tests|deploy|gateway|docs|\.ci)/[^\s`'""(),;|\[\]]*)")]
    private static partial Regex RepositoryPath();

    // After a path: a link's anchor, a line (":42", ":10-20"), the sentence's punctuation.
    [GeneratedRegex(@"(?:#.*|:[0-9-]*)?[.:?!]*$")]
    private static partial Regex TrailingNotPath();

    // XTests, XTests.Member, XTests.Member_prefix_… (the method names are long, so docs cut them).
    [GeneratedRegex(@"\b([A-Z][a-z]\w*Tests)\b(?:\.(\w+)(…)?)?")]
    private static partial Regex TestCitation();

    // Type.Member, not a file name (Type.cs) nor the middle of a dotted name (TradeNet.Matching.Engine).
    [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)\.([A-Z]\w*)(?:(…)|(?![\w.]))")]
    private static partial Regex MemberCitation();

    [GeneratedRegex(@"FullyQualifiedName~([\w.]+)")]
    private static partial Regex TestFilter();

    [GeneratedRegex(@"^(?:--)?([A-Z]\w*(?::[\w{}*,]+)+)(?:=\S*)?$")]
    private static partial Regex WholeKey();

    [GeneratedRegex(@"(?<![\w-])([A-Z]\w*(?:__\w+)+)=")]
    private static partial Regex AssignedKey();

    [GeneratedRegex(@"(?<![\w-])--([A-Z]\w*(?::\w+)+)=")]
    private static partial Regex CommandLineKey();
}
