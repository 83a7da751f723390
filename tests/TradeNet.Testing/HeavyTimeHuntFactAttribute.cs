using Xunit;

namespace TradeNet.Testing;

/// <summary>The time hunt with many seeds, on demand: skipped unless <c>TRADENET_TIME_SEEDS</c> ("1-200") is set.</summary>
public sealed class HeavyTimeHuntFactAttribute : FactAttribute
{
    public const string SeedsVariable = "TRADENET_TIME_SEEDS";

    public HeavyTimeHuntFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SeedsVariable)))
            Skip = $"On demand: set {SeedsVariable} (e.g. 1-200) to hunt time with many seeds.";
    }

    public static IEnumerable<int> Seeds() => TimeHuntInstants.Seeds(Environment.GetEnvironmentVariable(SeedsVariable)!);
}
