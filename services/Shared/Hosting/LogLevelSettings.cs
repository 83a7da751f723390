using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Hosting;

/// <summary>Checks the <c>Logging:…:LogLevel:…</c> settings while the host is built. The logging library reads them when the
/// first logger is made and refuses a value that is not a level with "Configuration value 'banana' is not supported.",
/// naming neither the setting nor what it takes: an abort (134) with the options' stack (seen Dec 2026 running catalog
/// with <c>Logging__LogLevel__Default=banana</c>). Refused here as a setting, the host ends with exit 2 naming each one
/// (<see cref="StartFailures"/>).</summary>
internal static class LogLevelSettings
{
    public static void Check(IConfiguration config)
    {
        var logging = config.GetSection("Logging");
        // Where the logging library looks: Logging:LogLevel, and each provider's Logging:{provider}:LogLevel.
        var refused = logging.GetChildren()
            .Select(child => string.Equals(child.Key, "LogLevel", StringComparison.OrdinalIgnoreCase) ? child : child.GetSection("LogLevel"))
            .SelectMany(levels => levels.GetChildren())
            // As the library reads a level: empty is none set, anything Enum.TryParse takes (any case, or a number) is one.
            .Where(level => !string.IsNullOrEmpty(level.Value) && !Enum.TryParse<LogLevel>(level.Value, ignoreCase: true, out _))
            .Select(level => $"{level.Path} '{level.Value}' is not a log level (Trace, Debug, Information, Warning, Error, Critical or None).")
            .ToList();
        if (refused.Count > 0) throw new OptionsValidationException("Logging", typeof(LogLevelSettings), refused);
    }
}
