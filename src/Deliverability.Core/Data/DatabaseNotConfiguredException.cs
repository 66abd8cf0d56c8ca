namespace Deliverability.Core.Data;

/// <summary>No connection string: the app and the CLI say how to set one instead of failing somewhere inside EF.</summary>
public sealed class DatabaseNotConfiguredException(string message) : InvalidOperationException(message);
