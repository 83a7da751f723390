// Exit 0 when the URL answers 2xx within 3 seconds, 1 otherwise: what a Docker HEALTHCHECK needs.
var url = args.Length > 0 ? args[0] : "http://127.0.0.1:8080/health";
// No proxy: the URL is this container's own loopback, and one from the environment (HTTP_PROXY, which Docker passes into
// containers when its client has one configured) was asked for it and reported a healthy service unhealthy.
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(3) };
try
{
    using var response = await http.GetAsync(url);
    if (response.IsSuccessStatusCode) return 0;
    Console.Error.WriteLine($"{url} answered {(int)response.StatusCode}");
    return 1;
}
catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
{
    Console.Error.WriteLine($"{url} unreachable: {ex.Message}");
    return 1;
}
