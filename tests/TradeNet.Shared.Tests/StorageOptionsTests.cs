using Microsoft.Extensions.Options;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Tests;

public class StorageOptionsTests
{
    [Theory]
    [InlineData("sqlite", null, false)]
    [InlineData("SQLite", "mongodb://ignored", false)]
    [InlineData("mongo", "mongodb://db:27017/?replicaSet=rs0", true)]
    [InlineData(" Mongo ", "mongodb://db:27017", true)]
    [InlineData("mongo", "mongodb+srv://user:pw@cluster0.example.invalid/tradenet?retryWrites=true", true)] // read, not resolved
    public void The_provider_chooses_the_store(string provider, string? connection, bool mongo) =>
        Assert.Equal(mongo, new StorageOptions { Provider = provider, MongoConnectionString = connection }.UseMongo);

    [Theory]
    [InlineData("mongo", null, "MongoConnectionString")]
    [InlineData("mongo", " ", "MongoConnectionString")]
    [InlineData("mongodb", "mongodb://db:27017", "'mongodb'")]
    public void Mongo_without_a_connection_string_or_an_unknown_provider_stops_the_service_instead_of_using_sqlite(
        string provider, string? connection, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => new StorageOptions { Provider = provider, MongoConnectionString = connection }.UseMongo);
        Assert.Contains(named, error.Message);
    }

    /// <summary>Each service reads the provider while its host is built: the refusals were InvalidOperationExceptions, and a
    /// connection string that is none reached the driver, which threw its own; all three ended the process with a stack
    /// dump and an abort (134), the driver's naming the whole connection string, password and all (seen Dec 2026 running
    /// catalog with Storage__Provider=postgres and with Storage__MongoConnectionString=banana).</summary>
    [Theory]
    [InlineData("postgres", null, "Storage:Provider must be sqlite or mongo, not 'postgres'.")]
    [InlineData("mongo", null, "Storage:Provider is mongo but Storage:MongoConnectionString is not set (a local SQLite file is not a stand-in).")]
    [InlineData("mongo", "mongodb://db:27017/?connectTimeoutMS=soon", "Storage:MongoConnectionString is not a MongoDB connection string (mongodb://host[:port]/… "
        + "or mongodb+srv://host/…; the value is not repeated here, since it may hold a password).")]
    [InlineData("mongo", "banana:s3cret@db", "Storage:MongoConnectionString is not a MongoDB connection string (mongodb://host[:port]/… "
        + "or mongodb+srv://host/…; the value is not repeated here, since it may hold a password).")]
    public void A_provider_or_connection_string_it_cannot_use_ends_the_start_with_its_reason_not_the_secret(
        string provider, string? connection, string reason)
    {
        var failure = Record.Exception(() => new StorageOptions { Provider = provider, MongoConnectionString = connection }.UseMongo);

        Assert.Equal($"TradeNet cannot start: {reason}", StartFailures.Reason(failure));
    }
}
