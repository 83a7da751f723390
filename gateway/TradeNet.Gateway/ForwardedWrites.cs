using Yarp.ReverseProxy.Forwarder;

namespace TradeNet.Gateway;

/// <summary>
/// Whether any byte of a forwarded request was written to a connection to its service. A failure to connect does not say
/// that nothing reached the service: when a kept-alive connection closes before any answer, the HTTP client sends the
/// request again on a new one (a POST without a body too), and if that connection is refused or times out the error reads
/// as a connection never made, though the first attempt reached the service, which may have applied it. The edge tells a
/// town "nothing reached it, sending again is safe" (<see cref="UnansweredProblems"/>) only when nothing was written.
/// </summary>
internal static class ForwardedWrites
{
    private static readonly AsyncLocal<Attempt?> Current = new();
    private static readonly object Key = new();

    /// <summary>Follows this request's forwarding: HTTP/1.1 writes a request in the flow that sends it, so the connection's
    /// writes below see this request's attempt. (HTTP/2 writes from its own loop and is never marked; it sends a request
    /// again only when the service said it had not processed it.)</summary>
    public static void Track(HttpContext http)
    {
        var attempt = new Attempt();
        http.Items[Key] = attempt;
        Current.Value = attempt;
    }

    public static bool AnyWritten(HttpContext http) => http.Items.TryGetValue(Key, out var attempt) && attempt is Attempt { Written: true };

    private sealed class Attempt
    {
        public volatile bool Written;
    }

    /// <summary>YARP's client factory, with each connection's stream noticing writes.</summary>
    public sealed class ClientFactory : ForwarderHttpClientFactory
    {
        protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
        {
            base.ConfigureHandler(context, handler);
            handler.PlaintextStreamFilter = (filter, _) => ValueTask.FromResult<Stream>(new NoticingStream(filter.PlaintextStream));
        }
    }

    /// <summary>The connection's stream; a write marks the request being sent (marked before it is tried: a write that
    /// fails half-way may still have reached the service).</summary>
    private sealed class NoticingStream(Stream inner) : Stream
    {
        private static void Mark()
        {
            if (Current.Value is { } attempt) attempt.Written = true;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Mark();
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Mark();
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            Mark();
            return inner.WriteAsync(buffer, offset, count, ct);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Mark();
            return inner.WriteAsync(buffer, ct);
        }

        public override void WriteByte(byte value)
        {
            Mark();
            inner.WriteByte(value);
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override bool CanRead => inner.CanRead;
        public override bool CanWrite => inner.CanWrite;
        public override bool CanSeek => false;
        public override bool CanTimeout => inner.CanTimeout;
        public override int ReadTimeout { get => inner.ReadTimeout; set => inner.ReadTimeout = value; }
        public override int WriteTimeout { get => inner.WriteTimeout; set => inner.WriteTimeout = value; }
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
