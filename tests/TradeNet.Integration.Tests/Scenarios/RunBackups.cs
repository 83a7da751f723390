using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>The backups an operator took during a random run, checked afterwards (docs/operations.md, "Backups and
/// restore"): each folder holds the files its manifest lists, with their SHA-256; a one-process host's backup lists the
/// three services' files, a distributed service's its own.</summary>
public static class RunBackups
{
    private static readonly string[] AllFiles = ["catalog.db", "logistics.db", "matching.db"];

    public static List<string> ManifestProblems(ITradeNetUnderTest tradeNet, IEnumerable<JsonElement> manifests)
    {
        var dataDir = tradeNet switch
        {
            StandaloneTradeNet s => s.DataDir,
            DistributedTradeNet d => d.DataDir,
            _ => null,
        };
        var problems = new List<string>();
        if (dataDir is null) return problems;
        foreach (var manifest in manifests)
        {
            var id = manifest.GetProperty("id").GetString()!;
            var folder = Path.Combine(dataDir, "backups", id);
            var files = manifest.GetProperty("files").EnumerateArray().ToList();
            var names = files.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
            // Distributed, the three processes share the data folder and each backs up its own file.
            var expected = tradeNet is StandaloneTradeNet ? AllFiles : null;
            if (expected is not null ? !names.SequenceEqual(expected) : names.Count != 1 || !AllFiles.Contains(names[0]))
                problems.Add($"backup {id}: its manifest lists {string.Join(", ", names)}");
            foreach (var file in files)
            {
                var path = Path.Combine(folder, file.GetProperty("name").GetString()!);
                if (!File.Exists(path))
                {
                    problems.Add($"backup {id}: {path} is missing");
                    continue;
                }
                var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
                if (!string.Equals(sha, file.GetProperty("sha256").GetString(), StringComparison.OrdinalIgnoreCase)
                    || new FileInfo(path).Length != file.GetProperty("bytes").GetInt64())
                    problems.Add($"backup {id}: {path} has SHA-256 {sha} and {new FileInfo(path).Length} bytes, the manifest says {file.GetProperty("sha256")} and {file.GetProperty("bytes")}");
            }
        }
        return problems;
    }

    /// <summary>Starts a standalone host on a copy of the backup (the host writes where it runs) and waits, as the live
    /// audit does, for <see cref="ConsistencyAudit"/> to pass on the towns there; fails the test if it does not.</summary>
    public static async Task<string> RestoreAndAuditAsync(StandaloneTradeNet live, JsonElement manifest, IReadOnlyCollection<string> towns)
    {
        var id = manifest.GetProperty("id").GetString()!;
        var copy = Path.Combine(Path.GetTempPath(), "tradenet-tests", "restore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Path.Combine(live.DataDir, "backups", id)))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var restored = new StandaloneTradeNet { Settings = new Dictionary<string, string> { ["Storage__DataDir"] = copy } };
        await restored.InitializeAsync();
        try
        {
            var note = "";
            await restored.ExplainFailureAsync(async () =>
            {
                using var ops = new TradeNetClient(restored.Gateway, restored.OperatorApiKey);
                var started = DateTime.UtcNow;
                IReadOnlyList<string> problems;
                var passes = 1;
                var first = new List<string>();
                while ((problems = await ConsistencyAudit.CheckAsync(ops, towns)).Count > 0 && DateTime.UtcNow < started.AddSeconds(60))
                {
                    // What the restored host settles after its start (events the copy held pending) is worth seeing.
                    if (passes++ == 1) first.AddRange(problems.Take(3));
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                Assert.True(problems.Count == 0, $"A host started on backup {id} (taken mid-run) disagrees with itself:\n" + string.Join("\n", problems));
                note = string.Create(CultureInfo.InvariantCulture, $"restored backup {id}: audit {passes} pass(es), {(DateTime.UtcNow - started).TotalSeconds:F0} s")
                    + string.Concat(first.Select(p => "\n  first pass: " + p));
            });
            return note;
        }
        finally
        {
            await restored.DisposeAsync();
            Directory.Delete(copy, recursive: true);
        }
    }
}
