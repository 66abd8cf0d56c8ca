using Deliverability.Core.Mailboxes;

namespace Deliverability.Core.Tests.Mailboxes;

public class MailboxSettingsTests
{
    private static readonly MailboxSettings Valid = new()
    {
        Name = " bounces ", Host = " imap.example.com ", Port = 993, UserName = " bounces@example.com ", Secret = "pw", Folder = " ",
    };

    [Theory]
    [InlineData(null, MailboxAfterImport.Leave, null)]
    [InlineData("leave", MailboxAfterImport.Leave, null)]
    [InlineData("flag", MailboxAfterImport.Flag, MailboxSettings.DefaultKeyword)]
    [InlineData("FLAG:Seen-By-Us", MailboxAfterImport.Flag, "Seen-By-Us")]
    [InlineData("move:Processed/Bounces", MailboxAfterImport.Move, "Processed/Bounces")]
    public void ParseAfterImport_ReadsTheCliWords(string? text, MailboxAfterImport action, string? target) =>
        Assert.Equal((action, target), MailboxSettings.ParseAfterImport(text));

    [Theory]
    [InlineData("delete")]
    [InlineData("move")]
    [InlineData("move:")]
    public void ParseAfterImport_RefusesAnythingElse(string text)
    {
        var e = Assert.Throws<MailboxSettingsException>(() => MailboxSettings.ParseAfterImport(text));
        Assert.Contains("leave, flag, flag:KEYWORD or move:FOLDER", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", MailboxTls.None)]
    [InlineData("SSL", MailboxTls.Ssl)]
    [InlineData("starttls", MailboxTls.StartTls)]
    public void ParseTls_ReadsTheThreeModes(string text, MailboxTls tls) => Assert.Equal(tls, MailboxSettings.ParseTls(text));

    [Fact]
    public void Validated_TrimsAndDefaultsTheFolder()
    {
        var v = Valid.Validated(secretRequired: true);
        Assert.Equal(("bounces", "imap.example.com", "bounces@example.com", "INBOX", (string?)null), (v.Name, v.Host, v.UserName, v.Folder, v.AfterImportTarget));
    }

    [Theory]
    [InlineData("imap://mail.example.com", 993, "pw", "not a host name")]
    [InlineData("mail.example.com", 70000, "pw", "between 1 and 65535")]
    [InlineData("mail.example.com", 993, "", "Enter the mailbox's password.")]
    public void Validated_RefusesWithTheReason(string host, int port, string secret, string reason)
    {
        var e = Assert.Throws<MailboxSettingsException>(() => (Valid with { Host = host, Port = port, Secret = secret }).Validated(secretRequired: true));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validated_OnAnEditAnEmptySecretKeepsTheStoredOne() =>
        Assert.Null((Valid with { Secret = null }).Validated(secretRequired: false).Secret);

    [Fact]
    public void Validated_MoveNeedsAnotherFolderAndFlagAPlainKeyword()
    {
        Assert.Contains("another folder", Assert.Throws<MailboxSettingsException>(() =>
            (Valid with { AfterImport = MailboxAfterImport.Move, AfterImportTarget = "inbox" }).Validated(true)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot be an IMAP keyword", Assert.Throws<MailboxSettingsException>(() =>
            (Valid with { AfterImport = MailboxAfterImport.Flag, AfterImportTarget = "two words" }).Validated(true)).Message, StringComparison.Ordinal);
    }
}
