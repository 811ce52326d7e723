"""Word lists for the synthetic TV series: genres, networks, certifications, trait cues.

Genres are TheTVDB's names (what Sonarr shows: "Science Fiction", "Mini-Series", "Children"),
networks and the US TV parental guidelines (TV-Y .. TV-MA) are real, so prompts and Kometa files
read as they would for a real library. Nothing here is random: :mod:`synthetic.library.series`
draws from these tuples with its seeded ``random.Random``.
"""

from __future__ import annotations

SERIES_TRAITS: tuple[str, ...] = (
    "prestige_drama",
    "anime",
    "sitcom",
    "true_crime",
    "space_opera",
    "period_drama",
    "police_procedural",
    "miniseries",
    "kids_animation",
    "reality_competition",
)
SERIES_GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Anime",
    "Children",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "Game Show",
    "History",
    "Horror",
    "Mini-Series",
    "Mystery",
    "Reality",
    "Romance",
    "Science Fiction",
    "Soap",
    "Thriller",
    "War",
    "Western",
)
# Base weights of the genres above, for a series with no trait pulling them.
GENRE_WEIGHTS = (10, 6, 3, 1, 2, 25, 12, 4, 40, 5, 6, 1, 3, 4, 1, 8, 2, 8, 6, 2, 10, 2, 1)

# (genre, probability) added for each trait a series has.
TRAIT_GENRES: dict[str, tuple[tuple[str, float], ...]] = {
    "prestige_drama": (("Drama", 0.95), ("Crime", 0.3), ("Thriller", 0.3)),
    "anime": (("Anime", 0.9), ("Animation", 0.85), ("Action", 0.4), ("Fantasy", 0.35)),
    "sitcom": (("Comedy", 0.95), ("Romance", 0.15), ("Family", 0.2)),
    "true_crime": (("Documentary", 0.85), ("Crime", 0.8), ("Mystery", 0.3)),
    "space_opera": (("Science Fiction", 0.95), ("Adventure", 0.5), ("Action", 0.4)),
    "period_drama": (("Drama", 0.85), ("History", 0.6), ("Romance", 0.35), ("War", 0.1)),
    "police_procedural": (("Crime", 0.95), ("Drama", 0.6), ("Mystery", 0.4)),
    "miniseries": (("Mini-Series", 0.5), ("Drama", 0.5), ("Thriller", 0.3)),
    "kids_animation": (("Animation", 0.95), ("Children", 0.8), ("Family", 0.6), ("Comedy", 0.4)),
    "reality_competition": (("Reality", 0.95), ("Game Show", 0.4)),
}

# Phrases an overview may carry for a trait (most, not all, holders get one).
TRAIT_CUES: dict[str, tuple[str, ...]] = {
    "prestige_drama": (
        "a sprawling family saga of power and betrayal",
        "a morally complex portrait of ambition",
        "an acclaimed drama of grief, loyalty and ruin",
    ),
    "anime": (
        "a young hero awakens a hidden power",
        "rival academies clash in a tournament of spirits",
        "a cursed blade and the girl who carries it",
    ),
    "sitcom": (
        "mismatched roommates share one tiny apartment",
        "the staff of a small office get through the week",
        "a chaotic family and their long-suffering neighbours",
    ),
    "true_crime": (
        "interviews and archive footage revisit an unsolved murder",
        "investigators reopen a notorious real case",
        "a documentary series follows a wrongful conviction",
    ),
    "space_opera": (
        "the crew of a starship at the edge of known space",
        "an interstellar war between rival empires",
        "a smuggler's ship drifting between colonies",
    ),
    "period_drama": (
        "an aristocratic household in the years before the war",
        "the court intrigues of a nineteenth-century dynasty",
        "servants and masters in a grand country estate",
    ),
    "police_procedural": (
        "detectives of a big-city precinct work a new case each week",
        "a forensic team follows the evidence",
        "a homicide squad and its hardest cases",
    ),
    "miniseries": (
        "told in a handful of episodes",
        "a limited series",
        "a self-contained story in one season",
    ),
    "kids_animation": (
        "a cheerful puppy and friends learn about sharing",
        "colourful animal friends go on small adventures",
        "a curious little robot explores the backyard",
    ),
    "reality_competition": (
        "contestants compete for a cash prize",
        "hopefuls face weekly eliminations",
        "amateur bakers battle it out in the tent",
    ),
}
OPENINGS = (
    "In {place},",
    "Set in {place},",
    "Across {place},",
    "From {place},",
)
PLACES = (
    "a coastal town",
    "London",
    "Tokyo",
    "a Midwestern suburb",
    "New York",
    "a remote island",
    "Paris",
    "a mining colony",
    "Seoul",
    "Berlin",
    "the Scottish Highlands",
    "Los Angeles",
)
FILLERS = (
    "old secrets resurface",
    "nothing is quite what it seems",
    "friendships are tested",
    "everyone has something to hide",
    "a stranger arrives with news",
    "the stakes rise every season",
)

# (network, languages it broadcasts in)
NETWORKS: tuple[tuple[str, str], ...] = (
    ("HBO", "en"),
    ("Netflix", "en"),
    ("BBC One", "en"),
    ("AMC", "en"),
    ("FX", "en"),
    ("NBC", "en"),
    ("CBS", "en"),
    ("ABC", "en"),
    ("FOX", "en"),
    ("Prime Video", "en"),
    ("Hulu", "en"),
    ("Apple TV+", "en"),
    ("Disney+", "en"),
    ("Showtime", "en"),
    ("Channel 4", "en"),
    ("ITV1", "en"),
    ("PBS", "en"),
    ("Syfy", "en"),
    ("Cartoon Network", "en"),
    ("Nickelodeon", "en"),
    ("Tokyo MX", "ja"),
    ("Fuji TV", "ja"),
    ("TV Tokyo", "ja"),
    ("Canal+", "fr"),
    ("ZDF", "de"),
    ("Das Erste", "de"),
    ("Rai 1", "it"),
    ("La 1", "es"),
    ("tvN", "ko"),
    ("JTBC", "ko"),
)
KIDS_NETWORKS = ("Cartoon Network", "Nickelodeon", "Disney+", "PBS")
ANIME_NETWORKS = ("Tokyo MX", "Fuji TV", "TV Tokyo")
CERTIFICATIONS = ("TV-Y", "TV-Y7", "TV-G", "TV-PG", "TV-14", "TV-MA")
# The year a series first aired: decade starts and cumulative weights (more recent, more shows).
DECADES = (1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020)
DECADE_CUM = (1, 3, 6, 10, 17, 30, 58, 80)
