using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Keeps what a cancelled start logs as a failure out of the log when a stop cancelled it: the start token follows the
/// host's stopping, so a Ctrl+C or SIGTERM while Kestrel binds made .NET's host log "Hosting failed to start" (an error
/// with the stack), and one during the bus's start made MassTransit warn "Bus start canceled" with its stack, although the
/// operator asked for it. Only those two categories at those levels, and only while this host is stopping without having
/// started: a start that fails by itself (no stop asked) is logged as before.
/// </summary>
public sealed class CancelledStartLog
{
    /// <summary>The category of .NET's generic host, which logs "Hosting failed to start".</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Each category quieted, and the one level of it that is.</summary>
    internal static readonly IReadOnlyDictionary<string, LogLevel> Quieted = new Dictionary<string, LogLevel>
    {
        [HostCategory] = LogLevel.Error,
        ["MassTransit"] = LogLevel.Warning,
    };

    private volatile IHostApplicationLifetime? _lifetime;

    private CancelledStartLog() { }

    /// <summary>Adds the filter to <paramref name="builder"/>; call <see cref="Follow"/> with the built host's lifetime.</summary>
    public static CancelledStartLog AddTo(IHostApplicationBuilder builder)
    {
        var log = new CancelledStartLog();
        // A rule of its own per category (the longest category wins among rules), at the level configuration gives that
        // category, so it changes nothing else: a rule's filter replaces neither its level nor the other rules.
        builder.Services.PostConfigure<LoggerFilterOptions>(options =>
        {
            foreach (var (category, quiet) in Quieted)
                options.Rules.Add(new LoggerFilterRule(null, category, LevelOf(options, category),
                    (_, _, level) => level != quiet || !log.StartCancelled));
        });
        return log;
    }

    public void Follow(IHostApplicationLifetime lifetime) => _lifetime = lifetime;

    private bool StartCancelled =>
        _lifetime is { ApplicationStopping.IsCancellationRequested: true, ApplicationStarted.IsCancellationRequested: false };

    /// <summary>The level the rules without a provider give <paramref name="category"/>: the longest category that is its
    /// prefix, the last of equals, else the default.</summary>
    internal static LogLevel? LevelOf(LoggerFilterOptions options, string category)
    {
        LoggerFilterRule? best = null;
        foreach (var rule in options.Rules)
        {
            if (rule.ProviderName is not null) continue;
            if (rule.CategoryName is { } prefix && !category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            if (best is null || (rule.CategoryName?.Length ?? 0) >= (best.CategoryName?.Length ?? 0)) best = rule;
        }
        return best is null ? options.MinLevel : best.LogLevel ?? options.MinLevel;
    }
}
