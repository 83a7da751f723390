using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TradeNet.AppHost;

public static class DistributedTopology
{
    /// <summary>Catalog, matching, logistics and the gateway as their own processes over RabbitMQ: from Docker
    /// when an engine answers, else a private node of the local rabbitmq-server. MongoDB from Docker when
    /// possible, else SQLite.</summary>
    public static void AddDistributedTradeNet(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var docker = DockerEngine.Answers(out var why);
        Console.WriteLine($"TradeNet topology: distributed (separate processes). Docker engine: {why}.");
        int catalogRest = Free(), catalogGrpc = Free(), matchingRest = Free(), logisticsRest = Free(), logisticsGrpc = Free();
        var rabbitPort = Free();

        IResourceBuilder<IResource>? rabbitResource = null;
        if (docker)
        {
            Console.WriteLine($"RabbitMQ: container rabbitmq:3.13 on 127.0.0.1:{rabbitPort} (a Docker engine answers).");
            rabbitResource = builder.AddContainer("rabbitmq", "docker.io/library/rabbitmq", "3.13")
                .WithEndpoint(port: rabbitPort, targetPort: 5672, name: "amqp", scheme: "tcp", isProxied: false);
        }
        else
        {
            Console.WriteLine($"RabbitMQ: private node of the local rabbitmq-server on 127.0.0.1:{rabbitPort} " +
                              "(no Docker engine; started with deploy/rabbitmq/start-node.sh, stopped with the app host).");
            builder.StartLocalRabbitMq(rabbitPort);
        }

        string? mongo = null;
        if (docker)
        {
            var mongoPort = Free();
            mongo = $"mongodb://127.0.0.1:{mongoPort}/?replicaSet=rs0&directConnection=true";
            Console.WriteLine($"Storage: MongoDB container (single-node replica set) on 127.0.0.1:{mongoPort}.");
            // Transactions need a replica set: mongod starts as a one-member set and initiates it itself.
            builder.AddContainer("mongo", "docker.io/library/mongo", "8.0")
                .WithEntrypoint("bash")
                .WithArgs("-c", "mongod --replSet rs0 --bind_ip_all & until mongosh --quiet --eval " +
                    "\"try { rs.status() } catch (e) { rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: '127.0.0.1:27017' }] }) }\"; " +
                    "do sleep 1; done; wait")
                .WithEndpoint(port: mongoPort, targetPort: 27017, name: "mongo", scheme: "tcp", isProxied: false);
        }
        else Console.WriteLine($"Storage: SQLite files in {settings.DataDir} (no Docker engine for MongoDB).");

        void Common<T>(IResourceBuilder<T> r) where T : IResourceWithEnvironment
        {
            r.WithEnvironment("Auth__InternalTokenKey", settings.TokenKey)
                .WithEnvironment("Storage__DataDir", settings.DataDir)
                .WithEnvironment("RabbitMq__Host", "127.0.0.1")
                .WithEnvironment("RabbitMq__Port", rabbitPort.ToString())
                .WithEnvironment("Services__Catalog__Grpc", AppHostSettings.Http(catalogGrpc))
                .WithEnvironment("Services__Logistics__Grpc", AppHostSettings.Http(logisticsGrpc))
                .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
                .WithTelemetryExtras(settings);
            if (mongo is not null)
                r.WithEnvironment("Storage__Provider", "mongo").WithEnvironment("Storage__MongoConnectionString", mongo);
        }

        IResourceBuilder<ProjectResource> Service<TProject>(string name, int rest, int? grpc) where TProject : IProjectMetadata, new()
        {
            var service = builder.AddProject<TProject>(name, launchProfileName: null)
                .WithEnvironment("Endpoints__Rest", AppHostSettings.Http(rest))
                .WithHttpEndpoint(port: rest, targetPort: rest, name: "rest", isProxied: false)
                .WithHttpHealthCheck("/health", endpointName: "rest");
            if (grpc is not null) service.WithEnvironment("Endpoints__Grpc", AppHostSettings.Http(grpc));
            Common(service);
            if (rabbitResource is not null) service.WaitFor(rabbitResource);
            return service;
        }

        var catalog = Service<Projects.TradeNet_Catalog>("catalog", catalogRest, catalogGrpc);
        var logistics = Service<Projects.TradeNet_Logistics>("logistics", logisticsRest, logisticsGrpc);
        var matching = Service<Projects.TradeNet_Matching>("matching", matchingRest, null);
        // The dashboard shows these too; printed so that an operator with curl reaches each service's /health (the
        // broker outage runbook reads them) without it.
        Console.WriteLine($"Services: catalog {AppHostSettings.Http(catalogRest)} (gRPC {catalogGrpc}), matching {AppHostSettings.Http(matchingRest)}, " +
                          $"logistics {AppHostSettings.Http(logisticsRest)} (gRPC {logisticsGrpc}); each answers /health.");
        var gateway = Service<Projects.TradeNet_Gateway>("gateway", settings.GatewayPort, null)
            .WithEnvironment("ReverseProxy__Clusters__catalog__Destinations__d1__Address", AppHostSettings.Http(catalogRest))
            .WithEnvironment("ReverseProxy__Clusters__matching__Destinations__d1__Address", AppHostSettings.Http(matchingRest))
            .WithEnvironment("ReverseProxy__Clusters__logistics__Destinations__d1__Address", AppHostSettings.Http(logisticsRest))
            .WithEnvironment("Gateway__Operators__0__Name", "operator")
            .WithEnvironment("Gateway__Operators__0__Key", settings.OperatorKey)
            .WaitFor(catalog).WaitFor(matching).WaitFor(logistics);
        // After the node's stopper (registered when the node started), so this runs first at stop.
        builder.Services.AddHostedService(sp => new ServicesStopFirst(sp, [["gateway"], ["catalog", "matching", "logistics"]]));
        builder.Services.AddHostedService(sp => new ResourceExits(sp, ["gateway", "catalog", "matching", "logistics"], settings.DashboardUrl));
    }

    private static int Free() => AppHostSettings.FreePort();

}
