namespace Deliverability.Core.Mailboxes;

/// <summary>Why a mailbox's settings were refused, in words for the person who typed them.</summary>
public sealed class MailboxSettingsException(string message) : Exception(message);

/// <summary>
/// What an Admin types for a mailbox (the page's form, the CLI's options). <see cref="Secret"/> is the password or token in
/// clear, on its way to be encrypted; empty on an edit means "keep the stored one".
/// </summary>
public sealed record MailboxSettings
{
    public const int MaxName = 100;
    public const int MaxFolder = 255;
    public const int DefaultPollIntervalMinutes = 5;

    /// <summary>The keyword added by <see cref="MailboxAfterImport.Flag"/> when none is named.</summary>
    public const string DefaultKeyword = "$Deliverability";

    public string Name { get; init; } = "";
    public string Host { get; init; } = "";
    public int Port { get; init; } = 993;
    public MailboxTls Tls { get; init; } = MailboxTls.Ssl;
    public string UserName { get; init; } = "";
    public MailboxSecretKind SecretKind { get; init; } = MailboxSecretKind.Password;
    public string? Secret { get; init; }
    public string Folder { get; init; } = "INBOX";
    public MailboxAfterImport AfterImport { get; init; } = MailboxAfterImport.Leave;
    public string? AfterImportTarget { get; init; }
    public int PollIntervalMinutes { get; init; } = DefaultPollIntervalMinutes;

    /// <summary>The settings trimmed and checked; throws <see cref="MailboxSettingsException"/> with the first problem found.</summary>
    public MailboxSettings Validated(bool secretRequired)
    {
        var name = Name.Trim();
        var host = Host.Trim();
        var user = UserName.Trim();
        var folder = string.IsNullOrWhiteSpace(Folder) ? "INBOX" : Folder.Trim();
        var target = string.IsNullOrWhiteSpace(AfterImportTarget) ? null : AfterImportTarget.Trim();
        if (name.Length == 0) throw new MailboxSettingsException("Give the mailbox a name.");
        if (name.Length > MaxName) throw new MailboxSettingsException($"The name is longer than {MaxName} characters.");
        if (host.Length == 0) throw new MailboxSettingsException("Enter the IMAP server's host name.");
        if (host.Length > 255 || host.Any(c => char.IsWhiteSpace(c) || c == '/' || c == ':'))
            throw new MailboxSettingsException($"'{host}' is not a host name (no scheme, port or spaces: mail.example.com).");
        if (Port is < 1 or > 65535) throw new MailboxSettingsException($"The port must be between 1 and 65535 (IMAPS is 993, IMAP 143), not {Port}.");
        if (user.Length == 0) throw new MailboxSettingsException("Enter the user name the mailbox logs in with.");
        if (user.Length > 320) throw new MailboxSettingsException("The user name is longer than 320 characters.");
        if (secretRequired && string.IsNullOrEmpty(Secret))
            throw new MailboxSettingsException(SecretKind == MailboxSecretKind.OAuth2Token ? "Enter the OAuth2 access token." : "Enter the mailbox's password.");
        if (folder.Length > MaxFolder) throw new MailboxSettingsException($"The folder name is longer than {MaxFolder} characters.");
        if (PollIntervalMinutes is < 1 or > 1440) throw new MailboxSettingsException($"Poll every 1 to 1440 minutes, not {PollIntervalMinutes}.");
        switch (AfterImport)
        {
            case MailboxAfterImport.Leave:
                target = null;
                break;
            case MailboxAfterImport.Flag:
                target ??= DefaultKeyword;
                if (target.Length > MaxFolder || target.Any(c => c <= ' ' || "(){%*\"\\]".Contains(c, StringComparison.Ordinal) || c > '~'))
                    throw new MailboxSettingsException($"'{target}' cannot be an IMAP keyword (letters, digits, $, -, _ and . only).");
                break;
            case MailboxAfterImport.Move:
                if (target is null) throw new MailboxSettingsException("Name the folder to move imported bounces to.");
                if (target.Length > MaxFolder) throw new MailboxSettingsException($"The folder name is longer than {MaxFolder} characters.");
                if (string.Equals(target, folder, StringComparison.OrdinalIgnoreCase))
                    throw new MailboxSettingsException("Move imported bounces to another folder than the one read.");
                break;
        }

        return this with { Name = name, Host = host, UserName = user, Folder = folder, AfterImportTarget = target };
    }

    /// <summary>Reads the CLI's <c>--after leave|flag[:KEYWORD]|move:FOLDER</c>.</summary>
    public static (MailboxAfterImport Action, string? Target) ParseAfterImport(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0 || value.Equals("leave", StringComparison.OrdinalIgnoreCase)) return (MailboxAfterImport.Leave, null);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var word = colon < 0 ? value : value[..colon];
        var rest = colon < 0 ? null : value[(colon + 1)..];
        if (word.Equals("flag", StringComparison.OrdinalIgnoreCase)) return (MailboxAfterImport.Flag, string.IsNullOrWhiteSpace(rest) ? DefaultKeyword : rest);
        if (word.Equals("move", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(rest)) return (MailboxAfterImport.Move, rest);
        throw new MailboxSettingsException($"--after is leave, flag, flag:KEYWORD or move:FOLDER, not '{value}'.");
    }

    /// <summary>The after-import action in the CLI's words (leave, flag:$Deliverability, move:Processed).</summary>
    public static string DescribeAfterImport(MailboxAfterImport action, string? target) => action switch
    {
        MailboxAfterImport.Flag => $"flag:{target}",
        MailboxAfterImport.Move => $"move:{target}",
        _ => "leave",
    };

    public static MailboxTls ParseTls(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "none" => MailboxTls.None,
        "ssl" or "tls" => MailboxTls.Ssl,
        "starttls" => MailboxTls.StartTls,
        _ => throw new MailboxSettingsException($"--tls is none, ssl or starttls, not '{text}'."),
    };
}
