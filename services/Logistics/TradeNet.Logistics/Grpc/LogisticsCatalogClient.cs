using Grpc.Core;
using TradeNet.Contracts.Grpc;

namespace TradeNet.Logistics.Grpc;

/// <summary>Catalog's gRPC client as logistics registers it. A type of logistics' own because the standalone host runs
/// matching in the same container, which registers <see cref="Catalog.CatalogClient"/> itself (docs/architecture.md:
/// no two services register the same type); this way each signs its calls with its own service name.</summary>
public class LogisticsCatalogClient : Catalog.CatalogClient
{
    public LogisticsCatalogClient(CallInvoker callInvoker) : base(callInvoker) { }

    /// <summary>For test doubles, as the generated client allows.</summary>
    protected LogisticsCatalogClient() { }
}
