using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Tests;

public class StorageOptionsTests
{
    [Theory]
    [InlineData("sqlite", null, false)]
    [InlineData("SQLite", "mongodb://ignored", false)]
    [InlineData("mongo", "mongodb://db:27017/?replicaSet=rs0", true)]
    [InlineData(" Mongo ", "mongodb://db:27017", true)]
    public void The_provider_chooses_the_store(string provider, string? connection, bool mongo) =>
        Assert.Equal(mongo, new StorageOptions { Provider = provider, MongoConnectionString = connection }.UseMongo);

    [Theory]
    [InlineData("mongo", null, "MongoConnectionString")]
    [InlineData("mongo", " ", "MongoConnectionString")]
    [InlineData("mongodb", "mongodb://db:27017", "'mongodb'")]
    public void Mongo_without_a_connection_string_or_an_unknown_provider_stops_the_service_instead_of_using_sqlite(
        string provider, string? connection, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StorageOptions { Provider = provider, MongoConnectionString = connection }.UseMongo);
        Assert.Contains(named, error.Message);
    }
}
