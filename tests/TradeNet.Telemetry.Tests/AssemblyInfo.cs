// Each class starts its own app host (dashboard, RabbitMQ node, four processes): one at a time on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
