using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>The standalone host as a user runs it: one process, in-memory bus, SQLite files.</summary>
public sealed class StandaloneTradeNet : ITradeNetUnderTest
{
    private readonly TestSettings _settings = new();
    private ServiceProcess? _process;

    public Uri Gateway { get; private set; } = null!;

    /// <summary>Settings beside the ones every test runs with (they win over those).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>A data folder whose SQLite files (*.db) the host starts on, copied first so the folder stays as it is
    /// (a release fixture); unset, the host starts on empty files.</summary>
    public string? StartFrom { get; init; }

    public string OperatorApiKey { get; init; } = DistributedTradeNet.OperatorKey;

    public async Task InitializeAsync()
    {
        await ProcessTestsLock.HoldForThisProcessAsync(TimeSpan.FromMinutes(10));
        if (StartFrom is not null)
            foreach (var file in Directory.GetFiles(StartFrom, "*.db"))
                File.Copy(file, Path.Combine(_settings.DataDir, Path.GetFileName(file)));
        int edge = Repo.FreePort(), rest = Repo.FreePort(), grpc = Repo.FreePort();
        var env = new Dictionary<string, string>
        {
            ["Standalone__EdgeUrl"] = $"http://127.0.0.1:{edge}",
            ["Standalone__ServicesUrl"] = $"http://127.0.0.1:{rest}",
            ["Standalone__GrpcUrl"] = $"http://127.0.0.1:{grpc}",
            ["Standalone__Seed"] = "false",
            ["Storage__DataDir"] = _settings.DataDir,
            ["Gateway__Operators__0__Name"] = "ops",
            ["Gateway__Operators__0__Key"] = OperatorApiKey,
            ["Gateway__RateLimit__RegistrationsPerMinute"] = "1000",
            // Far longer than any test: a revoked key is refused through the catalog's revoked-key feed or not at all.
            ["Gateway__ApiKeyCache__Valid"] = "00:10:00",
        };
        foreach (var (name, value) in Settings) env[name] = value;
        _process = await ServiceProcess.StartAsync("standalone", Repo.Assembly("deploy/TradeNet.Standalone", "TradeNet.Standalone"),
            env, new Uri($"http://127.0.0.1:{edge}/health"));
        Gateway = new Uri($"http://127.0.0.1:{edge}");
    }

    public string Logs() => _process?.Output ?? "";

    public async Task DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _settings.Dispose();
    }
}
