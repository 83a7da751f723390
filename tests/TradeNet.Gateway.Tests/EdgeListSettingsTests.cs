namespace TradeNet.Gateway.Tests;

/// <summary>The edge's list settings written as one value (<c>Gateway__TrustedProxies=10.244.0.0/16</c> rather than
/// <c>Gateway__TrustedProxies__0=…</c>): configuration binds a list from its numbered entries only, so the value was
/// dropped without a word — the edge started trusting no proxy, and every client behind the ingress shared one limit.</summary>
public sealed class EdgeListSettingsTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await EchoBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Theory]
    [InlineData("Gateway:TrustedProxies", "10.244.0.0/16")]
    [InlineData("Gateway:Operators", "ops-lyon")]
    public async Task A_list_setting_given_as_one_value_stops_the_edge_at_start_saying_how_to_write_it(string key, string value)
    {
        var error = await Record.ExceptionAsync(() => EdgeHost.StartAsync(_backend, kestrel: false, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains($"{key} is a list", error?.Message);
        Assert.Contains($"{key}:0", error?.Message);
    }

    [Fact]
    public async Task A_list_setting_given_empty_means_an_empty_list()
    {
        await using var app = await EdgeHost.StartAsync(_backend, kestrel: false, new Dictionary<string, string?> { ["Gateway:TrustedProxies"] = "" });

        Assert.NotNull(app);
    }
}
