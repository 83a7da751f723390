using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>TradeNet as it runs distributed: a RabbitMQ node, the three services and the gateway,
/// each its own process with its own SQLite file.</summary>
public class DistributedTradeNet : ITradeNetUnderTest
{
    public const string OperatorKey = "ops-key-for-integration-tests-0123456789";
    private readonly List<ServiceProcess> _processes = [];
    private readonly Dictionary<string, (string Dll, Dictionary<string, string> Environment, Uri Health)> _launches = [];
    private readonly List<ServiceProcess> _killed = [];
    private readonly TestSettings _settings = new();
    private readonly int _replicas;

    public DistributedTradeNet() : this(replicas: 1) { }

    /// <param name="replicas">Processes per service (docs/operations.md, "Several processes per role"): each replica of a
    /// service shares its SQLite file in the one data folder and listens on ports of its own; the gateway's clusters route
    /// to every replica, and replica k's gRPC clients (and the gateway's, replica 1's) call catalog and logistics replica k,
    /// one address each as docker-compose gives them.</param>
    protected DistributedTradeNet(int replicas) => _replicas = replicas;

    public RabbitMqNode Rabbit { get; private set; } = null!;
    public Uri Gateway { get; private set; } = null!;
    public string OperatorApiKey => OperatorKey;
    public IReadOnlyList<ServiceProcess> Processes => _processes;

    /// <summary>Every process started, the killed ones first, each with its output.</summary>
    public IEnumerable<ServiceProcess> EveryProcess => _killed.Concat(_processes);

    /// <summary>Settings every service and gateway process gets besides the network's own (a subclass's logging).</summary>
    protected virtual IReadOnlyDictionary<string, string> ServiceSettings => new Dictionary<string, string>();

    /// <summary>Where the services keep their SQLite files ({name}.db).</summary>
    public string DataDir => _settings.DataDir;

    /// <summary>Each process's /health, by name.</summary>
    public IReadOnlyDictionary<string, Uri> Health => _launches.ToDictionary(l => l.Key, l => l.Value.Health);

    /// <summary>A service's process name: replica 1 is the service's own name ("catalog"), the others are numbered
    /// ("catalog-2").</summary>
    public static string ReplicaName(string service, int replica) => replica == 1 ? service : $"{service}-{replica}";

    public async Task InitializeAsync()
    {
        await ProcessTestsLock.HoldForThisProcessAsync(ProcessTestsLock.Wait);
        Rabbit = await RabbitMqNode.StartAsync();
        var replicas = Enumerable.Range(1, _replicas).Select(_ => (CatalogRest: Repo.FreePort(), CatalogGrpc: Repo.FreePort(),
            MatchingRest: Repo.FreePort(), LogisticsRest: Repo.FreePort(), LogisticsGrpc: Repo.FreePort())).ToList();
        var gatewayRest = Repo.FreePort();
        Dictionary<string, string> Network(int replica) => new()
        {
            ["Auth__InternalTokenKey"] = TestSettings.TokenKey,
            ["Storage__DataDir"] = _settings.DataDir,
            ["RabbitMq__Host"] = "127.0.0.1",
            ["RabbitMq__Port"] = Rabbit.Port.ToString(),
            ["Services__Catalog__Grpc"] = $"http://127.0.0.1:{replicas[replica - 1].CatalogGrpc}",
            ["Services__Logistics__Grpc"] = $"http://127.0.0.1:{replicas[replica - 1].LogisticsGrpc}",
            ["Matching__ProposalTtl"] = "00:10:00",
        };
        Dictionary<string, string> Common(int replica) => new(ServiceSettings.Concat(Network(replica)));
        for (var k = 1; k <= _replicas; k++)
            await Start(ReplicaName("catalog", k), "services/Catalog/TradeNet.Catalog", "TradeNet.Catalog", Common(k), replicas[k - 1].CatalogRest, replicas[k - 1].CatalogGrpc);
        for (var k = 1; k <= _replicas; k++)
            await Start(ReplicaName("logistics", k), "services/Logistics/TradeNet.Logistics", "TradeNet.Logistics", Common(k), replicas[k - 1].LogisticsRest, replicas[k - 1].LogisticsGrpc);
        for (var k = 1; k <= _replicas; k++)
            await Start(ReplicaName("matching", k), "services/Matching/TradeNet.Matching", "TradeNet.Matching", Common(k), replicas[k - 1].MatchingRest, null);
        var gateway = new Dictionary<string, string>(Common(1))
        {
            ["Gateway__Operators__0__Name"] = "ops",
            ["Gateway__Operators__0__Key"] = OperatorKey,
            // Every scenario registers its own towns from 127.0.0.1; the default (10 a minute per IP) is for the public.
            ["Gateway__RateLimit__RegistrationsPerMinute"] = "1000",
        };
        // One destination per replica (gateway.json names the one it ships d1).
        for (var k = 1; k <= _replicas; k++)
        {
            gateway[$"ReverseProxy__Clusters__catalog__Destinations__d{k}__Address"] = $"http://127.0.0.1:{replicas[k - 1].CatalogRest}";
            gateway[$"ReverseProxy__Clusters__matching__Destinations__d{k}__Address"] = $"http://127.0.0.1:{replicas[k - 1].MatchingRest}";
            gateway[$"ReverseProxy__Clusters__logistics__Destinations__d{k}__Address"] = $"http://127.0.0.1:{replicas[k - 1].LogisticsRest}";
        }
        await Start("gateway", "gateway/TradeNet.Gateway", "TradeNet.Gateway", gateway, gatewayRest, null);
        Gateway = new Uri($"http://127.0.0.1:{gatewayRest}");
    }

    private async Task Start(string name, string projectDir, string assembly, Dictionary<string, string> env, int rest, int? grpc)
    {
        var own = new Dictionary<string, string>(env) { ["Endpoints__Rest"] = $"http://127.0.0.1:{rest}" };
        if (grpc is not null) own["Endpoints__Grpc"] = $"http://127.0.0.1:{grpc}";
        _launches[name] = (Repo.Assembly(projectDir, assembly), own, new Uri($"http://127.0.0.1:{rest}/health"));
        _processes.Add(await ServiceProcess.StartAsync(name, _launches[name].Dll, own, _launches[name].Health));
    }

    /// <summary>Kills a service outright (SIGKILL: no shutdown, nothing flushed or handed over) and starts it again
    /// on the same ports and files, as a supervisor would after a crash.</summary>
    /// <param name="aliveOnly">Wait for <c>/alive</c> rather than <c>/health</c>: a service started while the broker is
    /// down serves requests but is not ready until its bus connects.</param>
    public async Task KillAndRestartAsync(string name, bool aliveOnly = false)
    {
        await KillAsync(name);
        await StartAgainAsync(name, aliveOnly);
    }

    /// <summary>Kills a service outright (SIGKILL) and leaves it down until <see cref="StartAgainAsync"/>.</summary>
    public async Task KillAsync(string name)
    {
        var killed = _processes.Single(p => p.Name == name);
        await killed.DisposeAsync();
        _killed.Add(killed);
    }

    /// <summary>Starts a killed service again on the same ports and files.</summary>
    public async Task StartAgainAsync(string name, bool aliveOnly = false)
    {
        var index = _processes.FindIndex(p => p.Name == name);
        var (dll, environment, health) = _launches[name];
        _processes[index] = await ServiceProcess.StartAsync(name, dll, environment, aliveOnly ? new Uri(health, "/alive") : health);
    }

    /// <summary>Freezes a service (SIGSTOP) for <paramref name="duration"/>, then lets it go on (SIGCONT): its connections
    /// stay open and its callers wait, as behind a hung host or a network black hole.</summary>
    public async Task PauseAsync(string name, TimeSpan duration)
    {
        var pid = _processes.Single(p => p.Name == name).ProcessId;
        await Signal.SendAsync("STOP", pid);
        try
        {
            await Task.Delay(duration);
        }
        finally
        {
            await Signal.SendAsync("CONT", pid);
        }
    }

    public string Logs() => string.Join("\n", EveryProcess.Select(p => $"===== {p.Name}\n{p.Output}"));

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes)) await process.DisposeAsync();
        if (Rabbit is not null) await Rabbit.DisposeAsync();
        _settings.Dispose();
    }
}

public interface ITradeNetUnderTest : IAsyncLifetime
{
    Uri Gateway { get; }
    string OperatorApiKey { get; }
    string Logs();
}
