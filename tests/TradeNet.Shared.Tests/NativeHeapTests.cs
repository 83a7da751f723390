using System.Runtime.InteropServices;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

public sealed class NativeHeapTests
{
    // Called after every clearing round and planning run: it must never fail one, whatever the platform's C library.
    [Fact]
    public void Giving_the_native_heaps_free_memory_back_keeps_what_is_in_use()
    {
        var block = Marshal.AllocHGlobal(1 << 20);
        try
        {
            Marshal.WriteInt64(block, 1 << 19, 42);

            NativeHeap.ReturnFreed();

            Assert.Equal(42, Marshal.ReadInt64(block, 1 << 19));
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }
}
