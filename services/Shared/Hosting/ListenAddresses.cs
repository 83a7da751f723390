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
internal static class ListenAddresses
{
    /// <summary>Where to listen: <see cref="IPAddress.Any"/> for every interface, <see cref="IPAddress.Loopback"/> standing
    /// for localhost (both loopbacks), else that address.</summary>
    internal sealed record Address(IPAddress Ip, int Port, bool Localhost);

    /// <param name="wildcards">Whether <c>*</c> and <c>+</c> are taken: not for a host's own address settings (the
    /// standalone host's), which it also calls and proxies to, where a wildcard is no address.</param>
    public static Address Parse(string setting, string url, bool wildcards = true)
    {
        var text = url.Trim();
        // Kestrel's own wildcard spellings, which Uri cannot parse: swapped for the address they mean before parsing.
        foreach (var wildcard in new[] { "://*", "://+" })
        {
            var at = text.IndexOf(wildcard, StringComparison.Ordinal);
            if (at < 0 || (text.Length != at + wildcard.Length && text[at + wildcard.Length] is not (':' or '/'))) continue;
            if (!wildcards)
                throw Refused(setting, url, "this address is also called, so it names one: 0.0.0.0 listens on every interface");
            text = string.Concat(text.AsSpan(0, at), "://0.0.0.0", text.AsSpan(at + wildcard.Length));
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw Refused(setting, url, "it is not an http:// address (TradeNet's services listen in cleartext; TLS ends before them)");
        if (uri.Host == "localhost") return new Address(IPAddress.Loopback, uri.Port, Localhost: true);
        // Uri keeps an IPv6 literal's brackets in Host; IdnHost too, DnsSafeHost does not.
        if (!IPAddress.TryParse(uri.DnsSafeHost, out var ip))
            throw Refused(setting, url, $"'{uri.Host}' is a host name: give an IP address of this machine, localhost, or * for every interface");
        return new Address(ip, uri.Port, Localhost: false);
    }

    private static OptionsValidationException Refused(string setting, string url, string why) =>
        new(setting, typeof(ListenAddresses), [$"{setting} '{url}' cannot be listened on: {why}."]);
}
