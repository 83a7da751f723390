namespace TradeNet.Gateway;

/// <summary>Section "Gateway": operator keys, rate limits and how long API key answers are remembered.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Operators authenticate with keys from configuration (env <c>Gateway__Operators__0__Name</c> / <c>__Key</c>).</summary>
    public List<OperatorKey> Operators { get; set; } = [];

    public EdgeRateLimitOptions RateLimit { get; set; } = new();

    public ApiKeyCacheOptions ApiKeyCache { get; set; } = new();

    /// <summary>Addresses or networks (CIDR) of the proxies in front of the edge (an ingress controller, a load
    /// balancer) whose <c>X-Forwarded-For</c> names the client. Empty (the default): the socket's address is the client,
    /// and the header, which anyone can write, is ignored.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The trusted proxies as networks (a single address is a /32 or /128); null when one does not parse.</summary>
    public IReadOnlyList<System.Net.IPNetwork>? TrustedNetworks()
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in TrustedProxies)
        {
            var text = entry.Trim();
            if (System.Net.IPNetwork.TryParse(text, out var network)) networks.Add(network);
            else if (System.Net.IPAddress.TryParse(text, out var address))
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else return null;
        }
        return networks;
    }
}

public sealed class OperatorKey
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
}

public sealed class EdgeRateLimitOptions
{
    /// <summary>Requests per minute per API key (or per client IP when anonymous).</summary>
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>Town registrations (<c>POST /api/catalog/towns</c>) per minute per client IP.</summary>
    public int RegistrationsPerMinute { get; set; } = 10;
}

public sealed class ApiKeyCacheOptions
{
    /// <summary>How long a valid key's identity is reused without asking the catalog again. A key its town rotates away
    /// goes sooner: at the next read of the catalog's revoked-key feed (<see cref="RevocationPoll"/>); this is how long it
    /// may still pass while the feed cannot be read.</summary>
    public TimeSpan Valid { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the catalog's revoked-key feed is read (<see cref="RevokedKeyPoller"/>): about how long a rotated
    /// key still passes this gateway.</summary>
    public TimeSpan RevocationPoll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Unknown keys are remembered briefly, so a misconfigured client cannot hammer the catalog.</summary>
    public TimeSpan Invalid { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a key the catalog called valid is still asked about once its client has spent its budget of
    /// unknown keys (<see cref="EdgeRateLimitOptions.PermitsPerMinute"/>), so that guessing from a shared address does
    /// not lock out the towns behind it. A key this gateway has not seen valid for that long waits for the budget.</summary>
    public TimeSpan Remembered { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most identities cached, and apart from them the most refused keys (so guesses never push out a
    /// town's identity), and the most keys <see cref="Remembered"/>.</summary>
    public int MaxEntries { get; set; } = 50_000;
}
