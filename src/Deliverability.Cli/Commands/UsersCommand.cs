using System.CommandLine;
using Deliverability.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Cli.Commands;

internal static class UsersCommand
{
    public const string PasswordVariable = "DELIVERABILITY_PASSWORD";

    public static Command Create()
    {
        var users = new Command("users", "Manage the people who can sign in.");
        users.Subcommands.Add(CreateAdd());
        users.Subcommands.Add(CreateDemoAdmin());
        return users;
    }

    private static Command CreateAdd()
    {
        var email = new Option<string>("--email") { Description = "E-mail address, also the sign-in name.", Required = true };
        var role = new Option<string>("--role") { Description = "Admin, Operator or Viewer.", Required = true };
        var add = new Command("add", $"Add a user. The password comes from ${PasswordVariable}, or is asked for.") { email, role };
        add.SetAction(async (parse, _) =>
        {
            var password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnv
                ? fromEnv
                : PromptPassword();
            if (password is null)
            {
                await Console.Error.WriteLineAsync($"No password: set {PasswordVariable} or run the command in a terminal.");
                return 2;
            }

            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            try
            {
                // The same use case as the Users page: same password rule, and the addition is audited.
                var user = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                    .AddAsync(UserActor.CommandLine, parse.GetRequiredValue(email), parse.GetRequiredValue(role), password, CancellationToken.None);
                Console.WriteLine($"Added {user.Email} as {Roles.Normalize(parse.GetRequiredValue(role))}.");
                return 0;
            }
            catch (UserAdministrationException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
        });
        return add;
    }

    /// <summary>Used by ./run.sh for the local demo: creates an admin with a generated password if there is none.</summary>
    private static Command CreateDemoAdmin()
    {
        var email = new Option<string>("--email") { Description = "E-mail of the demo admin.", DefaultValueFactory = _ => "admin@deliverability.local" };
        var file = new Option<FileInfo>("--credentials-file") { Description = "Where to write the generated credentials (mode 600).", Required = true };
        var demo = new Command("demo-admin", "Create an Admin with a generated password if no Admin exists yet (local demo only).") { email, file };
        demo.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var registration = scope.ServiceProvider.GetRequiredService<UserRegistration>();
            await registration.EnsureRolesAsync();
            if (await registration.AnyUserInRoleAsync(Roles.Admin))
            {
                Console.WriteLine("An admin already exists.");
                return 0;
            }

            var password = PasswordPolicy.Generate();
            var user = await registration.AddAsync(parse.GetRequiredValue(email), password, Roles.Admin);
            var target = parse.GetRequiredValue(file);
            await File.WriteAllTextAsync(target.FullName, $"{user.Email}\n{password}\n", ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            Console.WriteLine($"Created the demo admin {user.Email}.");
            return 0;
        });
        return demo;
    }

    internal static string? PromptPassword(string label = "Password: ")
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        Console.Write(label);
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
            {
                password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
