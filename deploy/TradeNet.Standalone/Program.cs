using TradeNet.Shared.Hosting;
using TradeNet.Standalone;

return await StartFailures.RunAsync(() => StandaloneHost.RunAsync(args));
