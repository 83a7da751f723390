using System.Net;
using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Reads a listen address (<c>Endpoints:Rest</c>, <c>Endpoints:Grpc</c>, or the host's own default) into where Kestrel
/// listens. <see cref="Uri"/> refuses ASP.NET's wildcard hosts (<c>http://*:5101</c>, <c>http://+:5101</c>) and the
/// IP parser every host name but localhost, so those stopped the start with a bare "Invalid URI" or "An invalid IP address
/// was specified" and a stack dump; the wildcards now listen on every interface, and anything else not taken is refused
/// at start naming the setting (exit 2, <see cref="StartFailures"/>).
/// </summary>
public static class ListenAddresses
{
    /// <summary>Where to listen: <see cref="IPAddress.Any"/> for every interface, <see cref="IPAddress.Loopback"/> standing
    /// for localhost (both loopbacks), else that address.</summary>
    internal sealed record Address(IPAddress Ip, int Port, bool Localhost);

    internal static Address Parse(string setting, string url)
    {
        // Kestrel's own wildcard spellings, which Uri cannot parse, as the address they mean.
        var text = ServiceDefaults.AnyHostAsZeros(url.Trim());
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw Refused(setting, url, "it is not an http:// address (TradeNet's services listen in cleartext; TLS ends before them)");
        if (uri.Host == "localhost") return new Address(IPAddress.Loopback, uri.Port, Localhost: true);
        // Uri keeps an IPv6 literal's brackets in Host; IdnHost too, DnsSafeHost does not.
        if (!IPAddress.TryParse(uri.DnsSafeHost, out var ip))
            throw Refused(setting, url, $"'{uri.Host}' is a host name: give an IP address of this machine, localhost, or * for every interface");
        return new Address(ip, uri.Port, Localhost: false);
    }

    /// <summary>Refuses what <see cref="Parse"/> refuses, naming <paramref name="setting"/>: for a host that hands its own
    /// settings on as Endpoints:Rest / Endpoints:Grpc (the standalone host), whose refusal would otherwise name those.</summary>
    public static void Check(string setting, string url) => Parse(setting, url);

    private static OptionsValidationException Refused(string setting, string url, string why) =>
        new(setting, typeof(ListenAddresses), [$"{setting} '{url}' cannot be listened on: {why}."]);
}
