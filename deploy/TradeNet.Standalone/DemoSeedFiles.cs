using System.Text.Json;
using TradeNet.Shared.Storage;

namespace TradeNet.Standalone;

/// <summary>The demo seed's files: its plan (<c>demo-seed.json</c>) and the towns' keys (<c>demo-keys.json</c>), both private.</summary>
internal static class DemoSeedFiles
{
    /// <summary>Written whole or not at all (a temp file renamed over), readable by the user who started the host only
    /// (Unix; elsewhere the folder's rights): the keys act as those towns, and the plan's keys get them back.</summary>
    public static async Task WritePrivateAsync<T>(string path, T content, CancellationToken cancellationToken)
    {
        PrivateDirectory.Create(Path.GetDirectoryName(path)!);
        var temp = path + ".partial";
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(temp, file))
            await JsonSerializer.SerializeAsync(stream, content, Json, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>The seed's request keys: one per town registration, one per listing; and the ids of the towns registered so far.</summary>
    internal sealed record SeedPlan(DateTimeOffset StartedAt, string[] Towns, string[] Listings, string[]? Registered = null)
    {
        public static SeedPlan New() => new(DateTimeOffset.UtcNow, [.. Enumerable.Range(0, 5).Select(_ => Key())], [.. Enumerable.Range(0, 10).Select(_ => Key())]);

        /// <summary>Five registration keys and ten listing keys, as <see cref="New"/> makes them.</summary>
        public bool IsWhole => Towns is { Length: 5 } && Listings is { Length: 10 } && Towns.Concat(Listings).All(k => !string.IsNullOrEmpty(k));

        /// <summary>Null when there is no plan; one that is not <see cref="IsWhole"/> when the file is not a plan.</summary>
        public static async Task<SeedPlan?> ReadAsync(string path, CancellationToken cancellationToken)
        {
            if (!File.Exists(path)) return null;
            await using var stream = File.OpenRead(path);
            try
            {
                return await JsonSerializer.DeserializeAsync<SeedPlan>(stream, Json, cancellationToken) ?? Unreadable;
            }
            catch (JsonException) { return Unreadable; }
        }

        private static readonly SeedPlan Unreadable = new(DateTimeOffset.MinValue, [], []);

        private static string Key() => "demo-seed-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    }
}
