using Microsoft.Extensions.Options;

namespace TradeNet.Logistics;

/// <summary>An unknown <c>Logistics:SheetTimeZone</c> stops the service at start rather than failing every sheet later.</summary>
public sealed class SheetTimeZoneValidation : IValidateOptions<LogisticsOptions>
{
    public ValidateOptionsResult Validate(string? name, LogisticsOptions options) =>
        LogisticsOptions.FindZone(options.SheetTimeZone) is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Logistics:SheetTimeZone must be an IANA time zone id such as Europe/Paris or UTC " +
                $"(the system's zone data, /usr/share/zoneinfo); '{options.SheetTimeZone}' is not one.");
}
