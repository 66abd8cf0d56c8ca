using System.CommandLine;
using System.Globalization;
using Deliverability.Core.Mailboxes;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

/// <summary><c>deliverability mailbox add|list|remove|poll</c>: the settings page's mailbox sources, for scripts and cron.</summary>
internal static class MailboxCommand
{
    public const string PasswordVariable = "DELIVERABILITY_MAILBOX_PASSWORD";

    public static Command Create()
    {
        var mailbox = new Command("mailbox", "IMAP mailboxes that bounces and complaints are imported from.");
        mailbox.Subcommands.Add(CreateAdd());
        mailbox.Subcommands.Add(CreateList());
        mailbox.Subcommands.Add(CreateRemove());
        mailbox.Subcommands.Add(CreatePoll());
        return mailbox;
    }

    private static Command CreateAdd()
    {
        var name = new Option<string>("--name") { Description = "A name for the mailbox (unique).", Required = true };
        var host = new Option<string>("--host") { Description = "The IMAP server.", Required = true };
        var port = new Option<int>("--port") { Description = "The IMAP port (993 for ssl, 143 for starttls or none).", Required = true };
        var tls = new Option<string>("--tls") { Description = "none, ssl or starttls.", Required = true };
        var user = new Option<string>("--user") { Description = "The user name to log in with.", Required = true };
        var folder = new Option<string>("--folder") { Description = "The folder to read.", DefaultValueFactory = _ => "INBOX" };
        var after = new Option<string>("--after") { Description = "What to do with an imported bounce or complaint: leave, flag[:KEYWORD] or move:FOLDER. Other mail is never touched.", DefaultValueFactory = _ => "leave" };
        var interval = new Option<int>("--interval") { Description = "Minutes between polls by the web app's job server.", DefaultValueFactory = _ => MailboxSettings.DefaultPollIntervalMinutes };
        var oauth = new Option<bool>("--oauth2") { Description = $"${PasswordVariable} holds an OAuth2 access token (XOAUTH2), not a password." };
        var add = new Command("add", $"Add an IMAP mailbox. The password comes from ${PasswordVariable}, or is asked for.") { name, host, port, tls, user, folder, after, interval, oauth };
        add.SetAction(async (parse, ct) =>
        {
            try
            {
                var (action, target) = MailboxSettings.ParseAfterImport(parse.GetValue(after));
                var settings = new MailboxSettings
                {
                    Name = parse.GetRequiredValue(name), Host = parse.GetRequiredValue(host), Port = parse.GetValue(port),
                    Tls = MailboxSettings.ParseTls(parse.GetValue(tls)), UserName = parse.GetRequiredValue(user), Folder = parse.GetValue(folder) ?? "INBOX",
                    AfterImport = action, AfterImportTarget = target, PollIntervalMinutes = parse.GetValue(interval),
                    SecretKind = parse.GetValue(oauth) ? MailboxSecretKind.OAuth2Token : MailboxSecretKind.Password,
                };
                settings.Validated(secretRequired: false);
                var secret = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnv
                    ? fromEnv
                    : UsersCommand.PromptPassword(settings.SecretKind == MailboxSecretKind.OAuth2Token ? "OAuth2 token: " : "Mailbox password: ");
                if (string.IsNullOrEmpty(secret))
                {
                    await Console.Error.WriteLineAsync($"No password: set {PasswordVariable} or run the command in a terminal.");
                    return 2;
                }

                using var cliHost = CliHost.Build();
                var id = await cliHost.Services.GetRequiredService<MailboxSources>().AddAsync(settings with { Secret = secret }, ct);
                Console.WriteLine($"Added mailbox {settings.Name.Trim()} (id {id}): {settings.UserName.Trim()}@{settings.Host.Trim()}:{settings.Port} {settings.Folder}, after import: {MailboxSettings.DescribeAfterImport(action, target)}.");
                return 0;
            }
            catch (MailboxSettingsException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });
        return add;
    }

    private static Command CreateList()
    {
        var list = new Command("list", "List the mailboxes, their status and what they imported (never their passwords).");
        list.SetAction(async (_, ct) =>
        {
            using var cliHost = CliHost.Build();
            var rows = await cliHost.Services.GetRequiredService<MailboxSources>().ListAsync(ct);
            if (rows.Count == 0)
            {
                Console.WriteLine("No mailboxes. Add one with: deliverability mailbox add --name N --host H --port P --tls ssl --user U --folder F");
            }

            foreach (var m in rows)
            {
                var status = m.Failing ? $"FAILING since {Time(m.LastErrorAt)}: {m.LastError}" : m.LastSuccessAt is null ? "never polled" : "ok";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m.Name}\t{m.UserName}@{m.Host}:{m.Port} ({m.Tls.ToString().ToLowerInvariant()}) {m.Folder}\tafter: {MailboxSettings.DescribeAfterImport(m.AfterImport, m.AfterImportTarget)}\tevery {m.PollIntervalMinutes} min\t" +
                    $"imported {m.Imported}: {m.Bounces} bounce(s), {m.Complaints} complaint(s), {m.Untouched} untouched\tlast success {Time(m.LastSuccessAt)}\t{status}"));
            }

            return 0;
        });
        return list;
    }

    private static Command CreateRemove()
    {
        var name = new Option<string>("--name") { Description = "The mailbox to remove (the evidence it imported stays).", Required = true };
        var remove = new Command("remove", "Remove a mailbox. Nothing in the mailbox itself is touched.") { name };
        remove.SetAction(async (parse, ct) =>
        {
            using var cliHost = CliHost.Build();
            var sources = cliHost.Services.GetRequiredService<MailboxSources>();
            if (await sources.FindAsync(parse.GetRequiredValue(name), ct) is not { } id || !await sources.RemoveAsync(id, ct))
            {
                await Console.Error.WriteLineAsync($"No mailbox named '{parse.GetRequiredValue(name)}'.");
                return 2;
            }

            Console.WriteLine($"Removed mailbox {parse.GetRequiredValue(name)}.");
            return 0;
        });
        return remove;
    }

    private static Command CreatePoll()
    {
        var name = new Option<string>("--name") { Description = "Poll this mailbox only (default: all)." };
        var once = new Option<bool>("--once") { Description = "Poll once and exit (the web app's job server polls on the schedule).", Required = true };
        var poll = new Command("poll", "Import what is new in the mailboxes now and print the counts.") { name, once };
        poll.SetAction(async (parse, ct) =>
        {
            using var cliHost = CliHost.Build();
            var sources = cliHost.Services.GetRequiredService<MailboxSources>();
            var polling = cliHost.Services.GetRequiredService<MailboxPolling>();
            var wanted = parse.GetValue(name);
            var rows = (await sources.ListAsync(ct)).Where(m => wanted is null || m.Name == wanted.Trim()).ToList();
            if (rows.Count == 0)
            {
                await Console.Error.WriteLineAsync(wanted is null ? "No mailboxes to poll." : $"No mailbox named '{wanted}'.");
                return 2;
            }

            var exit = 0;
            foreach (var row in rows)
            {
                var r = await polling.PollAsync(row.Id, ct);
                if (r.Busy)
                {
                    Console.WriteLine($"{row.Name}: another run is polling it now; skipped.");
                }
                else if (r.Error is not null)
                {
                    exit = 1;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Name}: FAILED after {r.Read} message(s): {r.Error}"));
                }
                else
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{row.Name}: {r.Read} new message(s): {r.Bounces} bounce(s), {r.Complaints} complaint(s), {r.Untouched} left untouched, {r.AlreadyImported} already imported; {r.ActedOn} {ActedWord(row)}; batch(es) {(r.BatchIds.Count == 0 ? "none" : string.Join(", ", r.BatchIds))}."));
                }
            }

            return exit;
        });
        return poll;
    }

    private static string ActedWord(MailboxRow row) => row.AfterImport switch
    {
        MailboxAfterImport.Flag => $"flagged {row.AfterImportTarget}",
        MailboxAfterImport.Move => $"moved to {row.AfterImportTarget}",
        _ => "changed (after import: leave)",
    };

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "never";
}
