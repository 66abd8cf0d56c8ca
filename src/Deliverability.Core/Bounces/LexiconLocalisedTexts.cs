namespace Deliverability.Core.Bounces;

/// <summary>
/// The mailbox-full and suspended-account answers in the languages receivers and localised MTA templates write them
/// (German, Italian, French, Spanish, Portuguese, Dutch, Polish, Russian, Japanese, Chinese, Korean mailbox providers
/// and hosters): the same facts as the English entries of <see cref="LexiconPreciseTexts"/>, searched right after them.
/// </summary>
internal static class LexiconLocalisedTexts
{
    /// <summary>"The recipient's mailbox is full" / "quota exceeded" in other languages.</summary>
    public static readonly LexiconEntry MailboxFull = new(BounceReasons.MailboxFull,
        "localised receiver replies and MTA templates: 'Postfach voll', 'casella piena', 'boîte pleine', 'buzón lleno', 'caixa postal cheia', 'mailbox is vol', 'переполнен', '容量超過', '邮箱已满'",
        [
            // de
            "postfach voll", "postfach ist voll", "postfach des empfängers ist voll", "postfach ist überfüllt", "quota überschritten",
            "kontingent überschritten",
            // it
            "casella piena", "casella di posta piena", "casella postale piena", "casella è piena", "casella di posta è piena",
            "destinatario è piena", "quota superata", "spazio esaurito",
            // fr
            "boîte pleine", "boîte aux lettres pleine", "boite aux lettres pleine", "boîte aux lettres est pleine",
            "boite aux lettres est pleine", "destinataire est pleine", "quota dépassé", "quota atteint", "boîte de réception est pleine",
            // es
            "buzón lleno", "buzon lleno", "buzón está lleno", "buzon esta lleno", "destinatario está lleno", "destinatario esta lleno",
            "cuota excedida", "excedido su cuota", "excede su cuota",
            // pt
            "caixa postal cheia", "caixa de correio cheia", "caixa postal está cheia", "caixa postal esta cheia", "caixa de entrada cheia",
            "destinatário está cheia", "destinatario esta cheia", "cota excedida",
            // nl, pl
            "mailbox is vol", "postbus is vol", "postvak is vol", "ontvanger is vol", "quotum overschreden",
            "skrzynka jest pełna", "skrzynka pełna", "skrzynka odbiorcy jest pełna",
            // ru
            "ящик переполнен", "ящик получателя переполнен", "превышена квота", "квота превышена", "превышен размер почтового ящика",
            // ja, zh, ko
            "容量が超過", "容量超過", "容量オーバー", "メールボックスが一杯", "メールボックスがいっぱい", "メールボックスが満杯",
            "邮箱已满", "空间已满", "邮箱空间不足", "邮箱容量已满", "信箱已滿", "空間已滿", "메일함 용량", "용량 초과", "사서함이 가득",
        ]);

    /// <summary>"The account is suspended / disabled / frozen" in other languages, and inactivity wording.</summary>
    public static readonly LexiconEntry Suspend = new(BounceReasons.Suspend,
        "localised receiver replies: 'cuenta suspendida', 'conta desativada', 'Konto gesperrt', 'compte désactivé', 'account sospeso', Outlook.com 'frozen due to inactivity'",
        [
            "has been frozen", "frozen due to inactivity", "due to inactivity", "inactive mailbox",
            "cuenta suspendida", "ha sido suspendida", "cuenta desactivada", "cuenta deshabilitada", "cuenta inactiva", "buzón desactivado",
            "conta suspensa", "conta desativada", "conta bloqueada", "conta inativa",
            "konto gesperrt", "konto ist gesperrt", "konto deaktiviert", "konto ist deaktiviert", "postfach gesperrt", "postfach deaktiviert",
            "compte désactivé", "compte suspendu", "compte bloqué", "compte inactif", "boîte désactivée",
            "account sospeso", "account disattivato", "casella disattivata", "casella sospesa", "utente disattivato",
            "account geblokkeerd", "account is opgeschort", "account gedeactiveerd",
            "ящик заблокирован", "аккаунт заблокирован", "учетная запись отключена", "ящик отключен",
            "账户已冻结", "邮箱已冻结", "已被冻结", "账号已停用", "邮箱已停用", "利用停止", "アカウントが停止",
        ]);
}
