using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TradeNet.Gateway.Tests;

/// <summary>One HTTP/1.1 request written byte for byte over a socket (HttpClient adds headers of its own, so a request
/// could not be sized to the byte), and the one response read back.</summary>
internal static class RawHttp
{
    public static async Task<HttpResponseMessage> SendAsync(string baseUrl, string request)
    {
        var server = new Uri(baseUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token);

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) throw new IOException("The connection closed before a response head.");
            received.Write(buffer, 0, read);
        }
        var head = Encoding.ASCII.GetString(received.GetBuffer(), 0, headEnd).Split("\r\n");
        var response = new HttpResponseMessage((HttpStatusCode)int.Parse(head[0].Split(' ')[1]));
        var headers = head.Skip(1).Select(h => h.Split(':', 2)).ToDictionary(h => h[0].Trim(), h => h[1].Trim(), StringComparer.OrdinalIgnoreCase);

        var rest = new MemoryStream();
        rest.Write(received.GetBuffer(), headEnd + 4, (int)received.Length - headEnd - 4);
        var chunked = headers.GetValueOrDefault("Transfer-Encoding") == "chunked";
        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text) : (int?)null;
        while (!(chunked ? rest.GetBuffer().AsSpan(0, (int)rest.Length).EndsWith("0\r\n\r\n"u8) : length is { } l && rest.Length >= l))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            rest.Write(buffer, 0, read);
        }
        response.Content = new ByteArrayContent(chunked ? Dechunk(rest.ToArray()) : rest.ToArray());
        foreach (var (name, value) in headers)
            if (name is not ("Transfer-Encoding" or "Content-Length") && !response.Headers.TryAddWithoutValidation(name, value))
                response.Content.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    /// <summary>A GET of <paramref name="target"/> with a Host header and the given header lines.</summary>
    public static string Get(string target, params string[] headers) =>
        $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n";

    private static byte[] Dechunk(byte[] body)
    {
        var whole = new MemoryStream();
        var at = 0;
        while (true)
        {
            var lineEnd = Array.IndexOf(body, (byte)'\n', at);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body, at, lineEnd - at).Trim(), 16);
            if (size == 0) return whole.ToArray();
            whole.Write(body, lineEnd + 1, size);
            at = lineEnd + 1 + size + 2;
        }
    }

    private static int IndexOf(MemoryStream stream, ReadOnlySpan<byte> value) =>
        stream.GetBuffer().AsSpan(0, (int)stream.Length).IndexOf(value);
}
