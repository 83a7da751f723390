using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Shared.Storage.Backups;

public static class BackupExtensions
{
    /// <summary>Registers a service's SQLite file with the process's <see cref="SqliteBackups"/>: a backup taken through
    /// any service of the process copies every file registered here, in one cut. <paramref name="database"/> answers null
    /// when the service's store is not SQLite (MongoDB); it is asked at the first backup or listing. Also registers the process's <see cref="BackupSchedule"/> (leftovers
    /// of a crash cleaned at start; backups every <c>Storage:Backups:Every</c> when set).</summary>
    public static IServiceCollection AddSqliteBackup(this IServiceCollection services, Func<IServiceProvider, SqliteDatabase?> database)
    {
        services.AddSingleton(sp => new BackupSource(database(sp)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteBackups>();
        // One schedule per process, however many services registered a file: it backs up all of them at once.
        services.TryAddSingleton<BackupSchedule>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BackupSchedule>(sp => sp.GetRequiredService<BackupSchedule>()));
        return services;
    }
}
