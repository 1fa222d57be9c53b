"""Rules for extraction: trafilatura options, header lines, and the line-level boilerplate filter.

Every pattern here is matched against one normalised line (NFC, whitespace collapsed). Patterns in
``ANYWHERE`` remove a line wherever they match; patterns in ``SHORT_LINE`` only when the whole line is
short (``SHORT_LINE_MAX_WORDS``), so that a real sentence that merely mentions "share", "print" or
"reply" is kept.
"""

from __future__ import annotations

import re

# --- trafilatura -------------------------------------------------------------------------------------

#: Options for ``trafilatura.bare_extraction``; favour precision (+0.6 F1 points on the Zyte set).
TRAFILATURA_OPTIONS: dict[str, object] = {
    "with_metadata": True,
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
}

#: Below this many characters an article has no usable text.
MIN_TEXT_CHARS = 20

#: A plain-text title longer than this is cut (at a word boundary).
MAX_TITLE_CHARS = 300
#: A first line of more words than this that ends a sentence is the body's first paragraph, not a headline
#: (news headlines rarely end in a full stop; a lead sentence always does: losing the lead to the title
#: costs more than a headline kept as the first paragraph).
TITLE_LINE_MAX_SENTENCE_WORDS = 8
#: … unless it ends in an abbreviation ("in S.C.", "Microsoft Corp.") …
ABBREVIATION_END_RE = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b[A-Z][a-z]{0,3}\.)$")
#: … or is written in title case: more than this share of its words after the first capitalised, the small
#: words of titles aside.
TITLE_CASE_SHARE = 0.6
TITLE_CASE_SMALL_WORDS = frozenset(
    "a an the of in on at to for and or but nor with by from as is are was were be has have had that "
    "this it its".split()
)
#: A first line opening on a wire dateline is the body's first paragraph ("WASHINGTON _ The New Economy
#: …", "RAFAH, Gaza _ Palestinians …"); not a dash, which headlines use ("EXCLUSIVE – Roger Stone: …").
BODY_DATELINE_RE = re.compile(r"^[A-Z][A-Z.'’ -]{2,}(?:,\s+[A-Z][\w.'’ -]+?)?\s+(?:_|--)\s+\S")

# --- plain-text header lines ---------------------------------------------------------------------------

#: How many lines after the title may be header lines (date, byline, source).
MAX_HEADER_LINES = 6

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
MONTH_RE = re.compile(_MONTH, re.IGNORECASE)
WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"

#: Date forms found in header lines; named groups y, m (number or name), d.
DATE_FORMS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", re.IGNORECASE),
    re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})", re.IGNORECASE),
    re.compile(rf"(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(
        rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>\d{{4}})", re.IGNORECASE
    ),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})", re.IGNORECASE),
]
TIME_RE = re.compile(
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}))?",
    re.IGNORECASE,
)

#: Words a date header line may carry besides the date and time.
DATE_LINE_FILLER = re.compile(
    rf"\b(?:last|updated?|published|posted|first|on|at|date[ds]?|modified|created|edited|{WEEKDAY}|"
    r"am|pm|a\.m|p\.m|et|est|edt|pt|pst|pdt|gmt|utc|bst|cet|cest|ist|z|hrs?|local|time)\b",
    re.IGNORECASE,
)
#: A date header line has at most this many words left once the date, time and filler are gone.
DATE_LINE_MAX_LEFTOVER_WORDS = 0

#: A byline starts with one of these words, case-insensitively ("By", "Written by", "Author:").
BYLINE_PREFIX = re.compile(r"^(?i:by|written by|words by|reporting by|author\s*:)\s+(?P<rest>\S.*)$")
#: Separators between the name and what follows it in a byline: "By Jane Doe · April 25, 2019",
#: "By Jane Doe | Reuters", "By Jane Doe - 26 April 2019".
BYLINE_SEPARATOR = re.compile(r"\s*(?:[·•|/;—–]|\s-\s)\s*")
#: A contact tail after the name: "Written by Sarah Colley, Email: desk@example.org".
BYLINE_CONTACT_TAIL = re.compile(r"\s*,?\s*(?i:e-?mail|contact|tel|phone|twitter)\s*:.*$|\s*,?\s*\S+@\S+\s*$")
#: The name in a byline: capitalised words (with particles), optionally ", Role Words" after a comma.
BYLINE_NAME = re.compile(
    r"^[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|al|bin|and|&))*"
    r"(?:\s*,\s*[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|&))*)*$"
)
#: What may follow a byline's name besides a date: an agency or outlet ("Reuters", "Staff Reporter").
BYLINE_EXTRA = re.compile(r"^[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|of|for|and|the)){0,4}$")
#: A byline in the boilerplate filter has at most this many words.
BYLINE_MAX_WORDS = 20

#: Header convention for the outlet of a plain-text article: "Source: NAME" or "Outlet: NAME".
OUTLET_RE = re.compile(r"^(?:source|outlet|publication|publisher)\s*:\s*(?P<name>\S.{0,80})$", re.IGNORECASE)

# --- outlets named by the text -------------------------------------------------------------------------
# Where the source gives no outlet, the page may name it: a site-name first line, a byline naming an outlet
# ("By AP"), a dateline ("HANOI, Vietnam (AP) —", "(CNN)President …") or an agency prefix ("AFP – …").
# What is found this way is marked ``Article.outlet_inferred``. None of these rules names an outlet.

#: A site-name line has at most this many words …
SITE_NAME_MAX_WORDS = 6
#: … and is followed by a headline of at most this many words (the title is that line then).
HEADLINE_MAX_WORDS = 40
#: Words that make a short capitalised line a masthead ("Harbour Daily Online", "Valley Radio News"),
#: matched case-insensitively on whole words.
MASTHEAD_WORDS = frozenset(
    """
    news daily times post online herald tribune journal gazette wire radio tv television press agency
    network media chronicle observer telegraph newspaper magazine broadcasting bulletin dispatch courier
    weekly reporter inquirer enquirer examiner sentinel monitor newswire review today blog
    """.split()
)
#: Small words a site name may hold besides capitalised ones ("Times of India", "The Straits Times").
SITE_NAME_SMALL_WORDS = frozenset({"the", "of", "and", "&", "for", "on", "in", "de", "la", "el", "le"})
#: A line that is a domain name ("example.com", "news.example.co.uk").
DOMAIN_RE = re.compile(r"^(?:www\.)?[a-z0-9][\w-]*(?:\.[\w-]+)*\.[a-z]{2,12}$", re.IGNORECASE)

_CAPS_WORD = r"[A-Z][A-Z.'’\-]*"
_CAP_WORD = r"[A-Z][\w.'’\-]*"
_DATELINE_REGION = rf"(?:\s*,\s*{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})?"
_DATELINE_DAY = rf"(?:\s*,\s*(?i:{_MONTH})\s+\d{{1,2}})?"
_DATELINE_OUTLET = r"\(\s*(?P<outlet>[A-Z][\w.&'’\-]*(?:\s+(?:[A-Z&][\w.&'’\-]*|of|and|the)){0,4})\s*\)"
#: What follows a dateline: the first word of the text (a capital, a digit or an opening quote).
_BODY_START = r"(?=[A-Z0-9\"“‘'])"
#: Datelines naming an outlet at the start of an article's text. ``outlet`` is the outlet, ``place`` the
#: place when there is one; the match ends where the text starts. In order:
#: a place in capitals ("HANOI, Vietnam (AP) —", "PARIS, February 20 (Xinhua) --", "WASHINGTON (AP) The");
#: a place in title case, then a dash or no space at all ("Hong Kong (CNN Business)A muddled view");
#: the outlet alone, or after a day ("(CNN)President …", "(Reuters) — The …", "Aug 27 (Reuters) - …").
DATELINES = [
    re.compile(
        rf"^(?P<place>{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}}){_DATELINE_REGION}{_DATELINE_DAY}\s*"
        rf"{_DATELINE_OUTLET}\s*(?:--|[—–_:-])?\s*{_BODY_START}"
    ),
    re.compile(
        rf"^(?P<place>[A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+){{0,2}}){_DATELINE_REGION}{_DATELINE_DAY}\s*"
        rf"{_DATELINE_OUTLET}(?:\s*(?:--|[—–_-])\s*|{_BODY_START})"
    ),
    re.compile(rf"^(?:(?i:{_MONTH})\s+\d{{1,2}}\s*)?{_DATELINE_OUTLET}\s*(?:--|[—–_:-])?\s*{_BODY_START}"),
]
#: Parenthesised labels that are not outlets ("(Updated) …", "(Photo) …"); matched on the first word.
NOT_OUTLET_LABELS = frozenset(
    """
    updated update photo photos picture video videos audio file watch listen live breaking opinion
    analysis editorial exclusive sponsored advertisement correction corrected
    """.split()
)
#: A party affiliation in parentheses ("Sen. Ann Lee (R-Fla.)", "(D)"): not an outlet.
PARTY_LABEL = re.compile(r"^[A-Z](?:-[A-Z][\w.]*)?\.?$")
#: An agency prefix: capital letters and a dash opening the text ("AFP – The meeting …").
AGENCY_PREFIX = re.compile(r"^(?P<outlet>[A-Z]{2,6})\s+(?:--|[—–-])\s+(?=[A-Z\"“‘])")
#: A prefix this short is an agency's initials: a dateline names a place in full ("ROME - …", "LIMA –"),
#: and places of three capitals or fewer do not open news articles; a longer prefix is an agency only when
#: it has no vowel (initials, not a word) or is the initials of an outlet the page names elsewhere. The
#: same holds for one word in capitals standing alone in parentheses ("(AFP) …" but not "(PHOENIX) - …").
AGENCY_PREFIX_MAX_LETTERS = 3
#: A byline naming an outlet, not a person, holds a masthead word ("By Breitbart News", "By Jane Doe, USA
#: TODAY") or is one short word in capitals ("By AP", "By Jane Doe | AFP"); a name in capitals ("By JACKIE
#: CALMES") is a person. Pieces holding one of these words are a reporter's role ("Staff Writer", "World
#: Affairs Correspondent"), not an outlet.
BYLINE_ROLE_WORDS = frozenset(
    """
    staff writer writers reporter reporters correspondent correspondents editor editors columnist
    contributor contributors producer desk team bureau chief senior special photographer analyst
    admin administrator guest
    """.split()
)

# --- boilerplate filter --------------------------------------------------------------------------------

#: Lines with at most this many words are checked against ``SHORT_LINE``.
SHORT_LINE_MAX_WORDS = 14

_I = re.IGNORECASE

#: Remove the line wherever one of these matches (template text that is never news).
#: Each pattern comes with the lower-case words one of which must occur in any line it matches: the
#: pattern is searched only when one does (a substring test is ~100× cheaper than the search).
ANYWHERE: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (needles, re.compile(p, _I))
    for needles, p in (
        (("email",), r"your email address will not be published"),
        (("required",), r"required fields are marked"),
        (("akismet",), r"this site uses akismet"),
        (("comment",), r"learn how your comment data is processed"),
        (("posted",), r"\bthis entry was posted (?:in|on|by)\b"),
        (("cookie",), r"\bwe use cookies\b"),
        (("cookie",), r"\b(?:this|our) (?:web)?site uses cookies\b"),
        (("site",), r"\bby (?:continuing to (?:browse|use)|using) (?:this|our) (?:web)?site\b"),
        (("cookie",), r"\b(?:accept|allow|manage) (?:all )?cookies\b"),
        (("cookie",), r"\bcookie (?:policy|settings|preferences|consent|notice)\b"),
        (("rights",), r"\ball rights reserved\b"),
        (("©", "(c)"), r"^(?:©|\(c\))"),
        (("©",), r"©\s*(?:\d{4}|[A-Z])"),
        (("font",), r"^font size\s*:"),
        (("written",), r"^written by\b.*\be-?mail\s*:"),
        (("email",), r"\bsave my name, email,? and website\b"),
        (("notify",), r"\bnotify me of (?:follow-up comments|new posts)\b"),
        (("javascript",), r"\bplease enable javascript\b"),
        (("browser",), r"\byour browser does not support\b"),
        (("newsletter",), r"\bsubscribe to (?:our|the) (?:\w+ )?(?:daily |weekly |free )?newsletters?\b"),
        (
            ("newsletter",),
            r"\bsign up (?:for|to) (?:our|the) (?:\w+ )?(?:daily |weekly |free )?newsletters?\b",
        ),
        (("here",), r"\b(?:click|tap) here\b"),
        (("continue",), r"\bstory continues (?:below|after)\b"),
        (("continue",), r"\bscroll (?:down )?to continue\b"),
        (
            ("views",),
            r"\bthe views expressed (?:here|in this)\b.*\b(?:do not|don't) (?:necessarily )?reflect\b",
        ),
        (("like", "follow"), r"\b(?:like|follow) us on (?:facebook|twitter|instagram|x|linkedin)\b"),
        (("follow",), r"\bfollow (?:us|@\w+) on\b"),
        (("download",), r"\bdownload (?:the|our) (?:free )?(?:\w+ )?app\b"),
        (("edited",), r"\bhas not been edited by\b.*\bstaff\b"),
        (("syndicated",), r"\bis auto-generated from a syndicated feed\b"),
        (("comment",), r"^(?:you must be )?logged in to post a comment\b"),
        (("comment",), r"\b(?:post|leave) a comment\b.*\bcancel reply\b"),
    )
]

#: Remove a short line when one of these matches at its start (``re.match`` on the stripped line).
SHORT_LINE = [
    re.compile(p, _I)
    for p in (
        # comment forms and meta
        r"(?:leave|post|add|write) a (?:reply|comment|response)\b",
        r"(?:cancel )?reply\b\W*$",
        r"(?:\d+|no|one) (?:comments?|responses?|replies)\s*(?:so far|yet)?\W*$",
        r"comments?\s*(?:\(\d+\))?\W*$",
        r"show comments\b|view comments\b|join the (?:conversation|discussion)\b",
        r"report (?:abuse|this comment)\b",
        r"posted (?:on|in|at|by)\b",
        r"(?:filed|posted) under\b",
        r"(?:tags?|tagged(?: with)?|topics?|categories|category|keywords)\s*[:|]",
        # sharing, following, subscribing
        r"share (?:this|the|on|via|with|to|article|story|post|page)\b",
        r"share\s*(?:[:|]|$)",
        r"(?:sharing is caring|spread the word)\b",
        r"(?:tweet|pin it|email|e-mail|print|whatsapp|facebook|twitter|linkedin|reddit)"
        r"(?:\s*(?:this)?\s*(?:article|story|page)?)?\s*(?:[|/•·]|$)",
        r"(?:follow|like) (?:us|me|@)\b",
        r"follow (?:the )?(?:author|topics?|this)\b",
        r"(?:subscribe|sign up|register)(?: now| today| here| for free| for our)?(?:\s|$|[:!.])",
        r"(?:get|receive) (?:our|the) (?:[\w-]+ ){0,3}(?:newsletter|briefing|email|alert)s?\b",
        r"newsletter\b",
        # navigation and teasers
        r"(?:related|recommended|popular|trending|latest|more)"
        r"(?: (?:posts?|articles?|stories|news|coverage|content|reading|videos?|now|on this|from \w+))?\s*[:|]?\s*$",
        r"(?:related|recommended|popular|trending|latest) (?:posts?|articles?|stories|news|coverage|reading)\b",
        r"(?:read|see|watch|listen) (?:more|also|next|now)"
        r"(?: (?:photos?|pictures|images|videos?|stories|news|articles?|coverage|details))?(?:\s*[:|»›>…-]|\s+(?:about|on|at|here|from|in)\b|\W*$)",
        r"(?:read|see|watch|listen to) the full (?:story|article|report|interview|statement|list|text)\b",
        r"(?:also|further) read(?:ing)?\b",
        r"(?:read|see) (?:also|more)\s*[:|]",
        r"you (?:may|might|could) (?:also )?(?:like|enjoy|be interested)\b",
        r"more (?:from|on|about|in) [^.!?]*$",
        r"(?:next|previous|prev|older|newer) (?:posts?|articles?|stor(?:y|ies)|page|entries)\W*$",
        r"(?:most (?:popular|read|viewed|shared)|recommended for you|editor'?s picks|top stories)\W*$",
        r"(?:continue reading|keep reading|back to top|skip to (?:main )?content|go to top)\b",
        r"(?:home|menu|search|sign in|log in|login|logout|log out)\s*(?:[|>»/]|$)",
        r"(?:advertisement|advertising|sponsored(?: content)?|ad|paid content|promoted)\s*\W*$",
        r"(?:loading\W*|like this:.*|like loading\W*)$",
        r"(?:listen to (?:this )?article|reading time|\d+ min(?:ute)?s? read)\b",
        r"(?:view|open) (?:gallery|image|slideshow|photos?)\b",
        # photo credits
        r"\(?(?:photos?|images?|pictures?|photograph|graphic|video|illustration|file photo)"
        r"(?: credits?| courtesy| by| source)?\s*[:/|©-]",
        r"\(?(?:photo|image|picture|illustration)s?\s+(?:credit|courtesy|by|via)\b",
        r"\(?(?:credit|credits|courtesy|source)\s*[:/]\s*\S",
        r"\(?(?:afp|ap|reuters|getty|getty images|epa|xinhua|ani|pti|iana|bloomberg|shutterstock|"
        r"ap images|afp/getty images|reuters/\w+)(?: photos?| images?| file| file photo)?\)?\s*$",
        r"\(?(?:file|handout|stock|archive) (?:photo|image|picture)s?\)?\W*$",
        r"\((?:afp|ap|reuters|getty|epa|xinhua|ani|pti|file)(?: photo| images?| file)*\)\s*$",
        r"[\w .'-]+/(?:afp|ap|reuters|getty images|epa|bloomberg|shutterstock)\b[\w /]*$",
        # author boxes
        r"(?:about the author|author bio|contact the author|email the author)\b",
        r"(?:e-?mail|contact|phone|tel)\s*:\s*\S+@|\S+@\S+\.\w+\s*$",
        # legal and site chrome
        r"(?:terms (?:of (?:use|service)|and conditions)|privacy policy|contact us|about us)\b",
        r"(?:powered by|designed by|theme by)\s+[\w .&-]{1,40}$",
        r"(?:this article|this story|this post|this content) (?:was|has been|is) "
        r"(?:originally )?(?:published|posted|updated|reproduced)\b",
        r"(?:originally published|first published|updated)\b[^.!?]*\d{4}\W*$",
        # comment prompts and states
        r"be the first to (?:comment|reply|respond|review|share|know)\b",
        r"comments? (?:are|is) (?:now )?(?:closed|disabled|turned off)\b",
        r"(?:commenting|comments) (?:has|have) been (?:closed|disabled|turned off)\b",
        r"(?:sign|log) in to (?:comment|reply|join the conversation)\b|register to (?:comment|reply)\b",
        r"(?:view|read|show|load|see) (?:all )?(?:\d+ )?(?:more )?(?:comments|replies)\b",
        # corrections and tips
        r"(?:report|submit|suggest) (?:an? )?(?:error|typo|correction|mistake|inaccuracy)\b",
        r"(?:spotted|found|see|notice) (?:an? )?(?:error|typo|mistake)\s*\?",
        r"(?:got|have|do you have) a (?:news )?(?:story|tip|news tip)(?: for us)?\s*\?",
        # print/save/copy widgets
        r"print friendly\b|print(?:er)?[- ]friendly (?:version|page)\b|(?:print|download) (?:as )?pdf\b",
        r"(?:copy|copied) (?:the )?(?:link|url)\b|link copied\b",
        r"(?:save|bookmark|gift) (?:this )?(?:article|story|for later)\b|gift (?:this )?article\b",
        r"(?:reprints?|permissions?)(?:\s*(?:&|and)\s*(?:reprints?|permissions?|licensing))?\W*$",
        r"(?:hide|show|toggle) caption\b|enlarge this image\b|expand image\b",
        r"click to (?:share|email|print|open)\b.*\(opens in new window\)",
        r"(?:\(opens in (?:a )?new (?:window|tab)\))\W*$",
        # advertising and recommendation widgets
        r"advertisement\s*[-–—:|]\s*(?:continue|scroll|story|article)\b",
        r"(?:story|article|content) continues below(?: (?:this )?(?:advertisement|ad))?\W*$",
        r"(?:continue|keep) reading below\b",
        r"(?:sponsored|promoted|paid partner|partner) (?:links?|stories|content|posts?)\b",
        r"(?:around|from) the web\W*$|recommended by\b\W*\w*\W*$",
        r"(?:support|fund) (?:our|independent|quality|local) (?:journalism|reporting)\b",
        r"(?:become a (?:member|subscriber|supporter)|already a (?:subscriber|member)|create (?:a |an )?(?:free )?account)\b",
        r"(?:get|have) (?:the latest|our top stories|breaking news)\b.*\b(?:inbox|delivered)\b",
        r"(?:delivered|straight) to your inbox\b",
        r"media playback is unsupported\b",
        r"this (?:article|story) is more than \d+ (?:years?|months?|days?) old\W*$",
        # section heads standing alone
        r"(?:topics|tags|categories|sections|share|related|navigation|explore|more|in this article|"
        r"on this page|listen|print|comments|discussion|follow|trending)\W*$",
        # CMS default authors
        r"(?:written|posted|published|submitted) by (?:admin|administrator|editor|webmaster|staff|"
        r"web desk|news desk|online desk|guest|user)\b\W*$",
        r"by (?:admin|administrator|webmaster)\W*$",
        # agency trailers
        r"\(?(?:additional )?reporting by\b.*\b(?:editing|writing) by\b",
    )
]

#: A photo or image caption/credit: the line starts with a credit label ("Photo: …", "(Photo: …)",
#: "Pictured: …", "Image: …"); removed whatever its length, since a caption is not an article sentence.
CAPTION_LINE = re.compile(
    r"^\(?(?:photos?|photographs?|pictures?|pictured|images?|illustrations?|graphic|caption|"
    r"file photo|main image|top image|lead image)"
    r"(?:\s+(?:credits?|courtesy|by|source|caption|above|below|left|right|top|main))?"
    r"(?:\s*\([^)]{0,40}\))?\s*[:|©]\s*\S"
    r"|^(?:image|media|video) (?:source|caption|credit)\s*[,:]\s*\S",
    re.IGNORECASE,
)

#: A copyright notice that starts with the word: "Copyright 2019 The Gazette", "copyright Foo 2019".
COPYRIGHT_LINE = re.compile(
    r"(?i:copyright)\s*(?:©|\([cC]\)|\d{4}|[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*)*,?\s+\d{4})"
)

#: A standalone byline ("By Jane Doe", "By Jane Doe | Reuters", "Written by J. Smith and A. Lee"); case
#: matters here, so "By the end of the day" is not one.
BYLINE_LINE = re.compile(
    r"(?i:by|written by|words by|reporting by)\s+[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|bin)){0,3}"
    r"\s*(?:(?:[|,/–-]|and|for)\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})*\s*[.]?$"
)

#: A tag list written as a paragraph: at least this many commas, short capitalised pieces, no full stop.
TAG_LIST_MIN_COMMAS = 3
TAG_LIST_MAX_PIECE_WORDS = 3

#: A short line made of share targets only ("Facebook Twitter WhatsApp Email").
#: A share row has at most this many tokens, and so (the longest share word has 9 letters) at most about
#: this many characters with its separators.
SHARE_ROW_MAX_TOKENS = 12
SHARE_ROW_MAX_CHARS = 200

SOCIAL_WORDS = frozenset(
    "facebook twitter x linkedin whatsapp email e-mail print pinterest reddit telegram tumblr "
    "messenger share tweet copy link sms flipboard mail pocket".split()
)

#: A line with at least this many "|" or "•" separators and short pieces is a menu.
MENU_MIN_SEPARATORS = 2
MENU_MAX_PIECE_WORDS = 4
