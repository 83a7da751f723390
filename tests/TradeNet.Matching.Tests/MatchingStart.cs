using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TradeNet.Matching.Tests;

/// <summary>Matching as a host starts it, with one setting given: for the checks it makes of its settings at start.</summary>
internal static class MatchingStart
{
    /// <summary>The failure starting matching with <paramref name="setting"/> = <paramref name="value"/> gives.</summary>
    public static async Task<OptionsValidationException> FailureWithAsync(string dataDir, string setting, string value)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value, ["Storage:DataDir"] = dataDir });
        builder.AddMatching();
        await using var app = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }
}
