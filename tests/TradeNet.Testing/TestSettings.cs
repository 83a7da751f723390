using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Auth;

namespace TradeNet.Testing;

/// <summary>The settings every test host gets: a throw-away data folder and a known token key.</summary>
public sealed class TestSettings : IDisposable
{
    public const string TokenKey = "test-internal-token-key-0123456789abcdef";

    public TestSettings()
    {
        DataDir = Path.Combine(Path.GetTempPath(), "tradenet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDir);
    }

    public string DataDir { get; }

    public Dictionary<string, string?> Configuration() => new()
    {
        ["Auth:InternalTokenKey"] = TokenKey,
        ["Storage:DataDir"] = DataDir,
    };

    public static string TokenFor(string subject, string role, TimeSpan? lifetime = null, string key = TokenKey) =>
        new InternalTokenIssuer(Options.Create(new InternalTokenOptions
        {
            InternalTokenKey = key,
            Lifetime = lifetime ?? TimeSpan.FromMinutes(5),
        }), TimeProvider.System).Issue(subject, role, subject);

    public static AuthenticationHeaderValue TownAuth(string townId) => new("Bearer", TokenFor(townId, Roles.Town));

    public static AuthenticationHeaderValue OperatorAuth(string name = "ops") => new("Bearer", TokenFor(name, Roles.Operator));

    public static AuthenticationHeaderValue ServiceAuth(string name = "test") => new("Bearer", TokenFor(name, Roles.Service));

    public void Dispose()
    {
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
