using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Matching.Tests.Rounds;

/// <summary>The engine refuses to solve with a cycle length outside 2..4, a detour factor under 1 or a time limit that is not
/// positive, nor price transport per kg of a reference load that is not positive (with <c>Matching:TransportCost</c>). Taken at
/// start, such a setting failed every round afterwards: POST /rounds answered 500 and the schedule logged
/// an error each tick, while the network traded nothing. A proposal time of 0 had every proposal expire as it was made, and a
/// sweep interval of 0 stopped the start with the timer's own exception, naming no setting. They stop matching at start
/// instead, naming the setting.</summary>
public sealed class RoundSettingsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tradenet-round-settings-");

    [Theory]
    [InlineData("Matching:MaxCycleLength", "1", "Matching:MaxCycleLength must be 2 to 4")]
    [InlineData("Matching:MaxCycleLength", "5", "Matching:MaxCycleLength must be 2 to 4")]
    [InlineData("Matching:DetourFactor", "0.9", "Matching:DetourFactor must be at least 1")]
    [InlineData("Matching:DetourFactor", "NaN", "Matching:DetourFactor must be at least 1")]
    [InlineData("Matching:RoundTimeLimit", "00:00:00", "Matching:RoundTimeLimit must be above 0")]
    [InlineData("Matching:RoundTimeLimit", "-00:00:05", "Matching:RoundTimeLimit must be above 0")]
    [InlineData("Matching:ReferenceLoadKg", "0", "Matching:ReferenceLoadKg must be above 0")]
    [InlineData("Matching:ReferenceLoadKg", "-5", "Matching:ReferenceLoadKg must be above 0")]
    [InlineData("Matching:ProposalTtl", "00:00:00", "Matching:ProposalTtl must be above 0")]
    [InlineData("Matching:SweepInterval", "00:00:00", "Matching:SweepInterval must be above 0")]
    public async Task A_setting_no_round_can_solve_with_stops_matching_at_start_naming_it(string setting, string value, string message)
    {
        var failure = await MatchingStart.FailureWithAsync(_dir.FullName, setting, value);

        Assert.Contains(message, failure.Message);
    }

    public void Dispose()
    {
        SqliteDatabase.ClearPool(Path.Combine(_dir.FullName, "matching.db"));
        _dir.Delete(recursive: true);
    }
}
