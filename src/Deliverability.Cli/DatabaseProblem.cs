using System.Net.Sockets;
using Deliverability.Core.Data;
using Npgsql;

namespace Deliverability.Cli;

/// <summary>One line that says what is wrong with the database and what to do, instead of a stack trace.</summary>
internal static class DatabaseProblem
{
    private const string Hint = "./run.sh starts a private one; set ConnectionStrings__Deliverability to use another.";

    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseNotConfiguredException notConfigured:
                    return notConfigured.Message;
                case PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } denied:
                    return $"PostgreSQL refused the sign-in ({denied.MessageText}): check the user and password in ConnectionStrings__Deliverability.";
                case PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } missing:
                    return $"{missing.MessageText}: create it, or point ConnectionStrings__Deliverability at the right one. {Hint}";
                case PostgresException { SqlState: PostgresErrorCodes.UndefinedTable } noTables:
                    return $"The database has no Deliverability tables ({noTables.MessageText}): run `deliverability migrate` first.";
                case NpgsqlException { InnerException: SocketException or TimeoutException } unreachable:
                    return $"Cannot reach PostgreSQL ({unreachable.InnerException!.Message}). {Hint}";
            }
        }

        return null;
    }
}
