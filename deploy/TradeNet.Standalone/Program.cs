using TradeNet.Shared.Hosting;
using TradeNet.Standalone;

StartFailures.ExplainRefusedSettings();
await StandaloneHost.RunAsync(args);
