// The race is recognised by where MassTransit throws it (ReceiveEndpoint or its async state machines), so the stand-in
// throws from an async method of a type of that full name. Tests name it with CS0436 off: it shadows MassTransit's own.
namespace MassTransit.Transports;

internal sealed class ReceiveEndpoint
{
    internal static async Task StopAsync()
    {
        await Task.Yield();
        object? handle = null; // what a racing stop has already nulled
        _ = handle!.GetHashCode();
    }
}
