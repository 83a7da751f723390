using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TradeNet.Standalone;

namespace TradeNet.Deploy.Tests;

/// <summary>A standalone address that cannot be listened on (a host name, https) is refused naming the Standalone: setting
/// the operator wrote. The host hands each address to its in-process apps as Endpoints:Rest / Endpoints:Grpc, so the refusal
/// named those — settings the README says this host ignores — and the edge's came only once the services had started.</summary>
public sealed class StandaloneAddressRefusalTests
{
    [Theory]
    [InlineData("Standalone:EdgeUrl", "http://tradenet.example:7520", "'tradenet.example' is a host name")]
    [InlineData("Standalone:ServicesUrl", "https://127.0.0.1:7521", "not an http:// address")]
    [InlineData("Standalone:GrpcUrl", "http://grpc-host:7522", "'grpc-host' is a host name")]
    public void An_address_that_cannot_be_listened_on_is_refused_before_anything_starts_naming_its_own_setting(
        string setting, string url, string why)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(setting, (string?)url)]).Build();

        var refused = Assert.Throws<OptionsValidationException>(() => StandaloneOptions.From(config));

        var failure = Assert.Single(refused.Failures);
        Assert.StartsWith($"{setting} '{url}' cannot be listened on", failure);
        Assert.Contains(why, failure);
    }
}
