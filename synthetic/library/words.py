"""Static vocabularies for the synthetic library (hand-written, seed-independent).

Everything here is a tuple so iteration order is fixed; nothing depends on hashing.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- English title words ---------------------------------------------------------------------
NOUNS = _words("""
Harbor Protocol Horizon Garden Shadow River Storm Empire Kingdom Mirror Silence Echo Signal
Frontier Circle Island Voyage Witness Stranger Ghost Angel Hunter Crown Dragon Fortress Ocean
Desert Forest Mountain Valley Canyon Bridge Tower Station Hotel Motel Diner Highway Road Train
Letter Promise Secret Lie Truth Dream Memory Summer Winter Autumn Spring Night Morning Midnight
Dawn Dusk Twilight Moon Sun Star Planet Orbit Comet Machine Engine Code Cipher Game Contract
Deal Debt Verdict Trial Jury Alibi Motive Ransom Bullet Gun Knife Blade Arrow Shield Sword Fire
Flame Ash Smoke Ice Snow Rain Thunder Lightning Wind Wave Tide Current Harvest Orchard Vineyard
Kitchen Ballroom Chapel Cathedral Prison Asylum Academy Colony Outpost Border Passage Tunnel
Labyrinth Maze Door Window Key Lock Vault Map Compass Anchor Lighthouse Carnival Circus Parade
Symphony Melody Ballad Requiem Waltz Tango Rhapsody Heart Soul Spirit Blood Bone Skin Eye Hand
Wolf Fox Raven Hawk Sparrow Tiger Lion Bear Serpent Spider Horse Stallion Dog Cat Rabbit Whale
Son Daughter Mother Father Brother Sister Widow Bride Groom Queen King Prince Princess Knight
Soldier Sheriff Outlaw Gunslinger Pilot Captain Doctor Nurse Teacher Thief Spy Agent Assassin
Stranger Neighbor Tenant Guest Visitor Lodger Drifter Runaway Orphan Heir Rebel Prophet Saint
Sinner Wanderer Survivor Keeper Watchman Operator Courier Messenger Detective Inspector Judge
""")

ADJECTIVES = _words("""
Silent Dark Last First Lost Broken Hidden Golden Silver Crimson Scarlet Black White Red Blue
Green Wild Quiet Lonely Endless Eternal Frozen Burning Sleeping Falling Rising Distant Secret
Perfect Final Savage Gentle Bitter Sweet Hollow Wicked Restless Reckless Fearless Forgotten
Fallen Shattered Deadly Lucky Crooked Naked Little Big Long Short Cold Hot Bright Pale Deep
Strange Invisible Impossible Electric Atomic Cosmic Midnight Northern Southern Western Eastern
Hungry Angry Happy Sad Brave Wrong Dangerous Innocent Guilty Foreign Private Public Royal Wooden
""")

GERUNDS = _words("""
Chasing Finding Losing Saving Breaking Burning Running Hunting Leaving Remembering Killing
Catching Stealing Crossing Waking Dancing Singing Falling Becoming Waiting Searching Raising
Escaping Watching Loving Fighting Driving Sinking Flying Drowning Following Keeping
""")

PLACES = _words("""
Casablanca Chinatown Nebraska Manhattan Brooklyn Memphis Tokyo Paris Berlin Vienna Havana
Marrakech Istanbul Lisbon Calcutta Bombay Shanghai Saigon Alaska Montana Texas Dakota Oregon
Yukon Siberia Sahara Patagonia Tangier Cairo Naples Palermo Venice Monaco Tijuana Reno Vegas
Baltimore Detroit Chicago Boston Philadelphia Atlanta Nashville Seattle Phoenix Tucson Glasgow
""")

NUMBER_WORDS = (
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Twelve",
    "Thirteen",
    "Twenty",
    "Hundred",
    "Thousand",
)

# Short titles (the parser must not eat them as tokens); two- and three-letter words plus letters.
SHORT_TITLES = (
    "Up",
    "It",
    "Us",
    "M",
    "X",
    "Pi",
    "Ma",
    "Oz",
    "Io",
    "Q",
    "Her",
    "Ran",
    "Elf",
    "Saw",
    "Big",
    "Ray",
    "Cop",
    "Red",
    "Run",
    "Air",
    "Max",
    "Fog",
    "Ash",
    "Hex",
    "Vox",
    "Ice",
    "Sin",
    "Ida",
    "Roma",
    "Tár",
    "Kes",
    "Boy",
    "Zoo",
    "Fury",
    "Go",
    "Jaws",
    "Heat",
    "Cube",
    "Dune",
    "Nope",
    "Rec",
    "Tag",
    "Hook",
    "Home",
)

ACCENTED_EN = (
    "Café",
    "Déjà Vu",
    "Señor",
    "Naïve",
    "Fiancé",
    "Rosé",
    "Piñata",
    "Éclair",
    "Façade",
    "Cliché",
    "Résumé",
    "Soirée",
    "Protégé",
    "Exposé",
    "Mañana",
)

SUBTITLES_NOUN = (
    "Reckoning",
    "Resurrection",
    "Revenge",
    "Retribution",
    "Awakening",
    "Origins",
    "Legacy",
    "Redemption",
    "Uprising",
    "Homecoming",
    "Endgame",
    "Fallout",
    "Rogue Nation",
    "First Blood",
    "Dead Reckoning",
    "Ghost Protocol",
    "Genesis",
    "The Return",
    "The Beginning",
    "The Final Chapter",
    "Day of Reckoning",
    "Judgment Day",
    "Lost Souls",
    "New Blood",
    "Zero Hour",
    "Dark Fate",
)

YEARLIKE_SUFFIX = (
    2049,
    2077,
    3000,
    2012,
    1999,
    2000,
    2001,
    2046,
    2099,
    2150,
    1492,
    1776,
    2525,
    1984,
    1941,
    2010,
    2020,
    3001,
    1812,
    2084,
)
TITLE_YEARS = (
    1917,
    1941,
    1922,
    1984,
    1985,
    1999,
    2001,
    2012,
    1408,
    1776,
    1492,
    1900,
    1968,
    1945,
    1812,
    2046,
    2067,
    1883,
    1923,
    1969,
)
SMALL_NUMBERS = (
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "10",
    "11",
    "12",
    "13",
    "21",
    "24",
    "28",
    "30",
    "47",
    "99",
    "101",
    "300",
    "400",
    "666",
    "711",
    "1000",
)
ROMAN = ("II", "III", "IV", "V", "VI", "VII")
PART_WORDS = ("One", "Two", "Three", "Four")

# --- non-English titles: (phrase, english) pairs per language ---------------------------------
FOREIGN = {
    "fr": (
        ("Le Cœur", "The Heart"),
        ("La Nuit", "The Night"),
        ("Les Enfants", "The Children"),
        ("Le Voyage", "The Journey"),
        ("La Haine", "Hate"),
        ("Le Silence", "Silence"),
        ("La Belle Époque", "The Good Old Days"),
        ("Les Amants", "The Lovers"),
        ("Le Mépris", "Contempt"),
        ("La Fête", "The Party"),
        ("Le Goût", "The Taste"),
        ("La Rivière", "The River"),
        ("Les Étrangers", "The Strangers"),
        ("Le Château", "The Castle"),
        ("La Forêt", "The Forest"),
        ("Le Dernier Été", "The Last Summer"),
        ("L'Île", "The Island"),
        ("L'Été", "Summer"),
        ("La Mémoire", "Memory"),
        ("Le Fantôme", "The Ghost"),
    ),
    "de": (
        ("Das Boot", "The Boat"),
        ("Der Himmel", "The Sky"),
        ("Die Stadt", "The City"),
        ("Das Leben", "The Life"),
        ("Der Untergang", "The Downfall"),
        ("Die Welle", "The Wave"),
        ("Das Weiße Band", "The White Ribbon"),
        ("Der Tunnel", "The Tunnel"),
        ("Die Fälscher", "The Counterfeiters"),
        ("Das Schweigen", "The Silence"),
        ("Der Müde Tod", "Weary Death"),
        ("Die Brücke", "The Bridge"),
        ("Der Fluss", "The River"),
        ("Die Nacht", "The Night"),
        ("Das Märchen", "The Fairy Tale"),
        ("Der Bär", "The Bear"),
    ),
    "es": (
        ("El Laberinto", "The Labyrinth"),
        ("La Casa", "The House"),
        ("El Orfanato", "The Orphanage"),
        ("Los Olvidados", "The Forgotten"),
        ("El Secreto", "The Secret"),
        ("La Lengua", "The Tongue"),
        ("El Espinazo", "The Backbone"),
        ("Los Niños", "The Children"),
        ("La Noche", "The Night"),
        ("El Mar", "The Sea"),
        ("La Ciénaga", "The Swamp"),
        ("El Ángel", "The Angel"),
        ("Mañana", "Tomorrow"),
        ("El Niño", "The Boy"),
        ("La Canción", "The Song"),
    ),
    "it": (
        ("La Dolce Vita", "The Sweet Life"),
        ("Il Postino", "The Postman"),
        ("La Strada", "The Road"),
        ("Il Sorpasso", "The Easy Life"),
        ("La Notte", "The Night"),
        ("Il Conformista", "The Conformist"),
        ("Ladri", "Thieves"),
        ("La Grande Bellezza", "The Great Beauty"),
        ("Il Gattopardo", "The Leopard"),
        ("L'Avventura", "The Adventure"),
        ("La Città", "The City"),
        ("Il Deserto", "The Desert"),
        ("Perché", "Why"),
        ("La Verità", "The Truth"),
        ("Il Ritorno", "The Return"),
    ),
}
FOREIGN_COMPLEMENT = {
    "fr": (
        ("de Paris", "of Paris"),
        ("d'Amélie", "of Amélie"),
        ("en Hiver", "in Winter"),
        ("du Désert", "of the Desert"),
        ("des Anges", "of the Angels"),
        ("à Marseille", "in Marseille"),
        ("sans Fin", "Without End"),
        ("de Léon", "of Léon"),
    ),
    "de": (
        ("über Berlin", "over Berlin"),
        ("in Wien", "in Vienna"),
        ("der Anderen", "of Others"),
        ("am Fluss", "on the River"),
        ("im Winter", "in Winter"),
        ("ohne Ende", "Without End"),
    ),
    "es": (
        ("del Fauno", "of the Faun"),
        ("de las Mariposas", "of the Butterflies"),
        ("en Madrid", "in Madrid"),
        ("de los Ojos", "of the Eyes"),
        ("sin Fin", "Without End"),
        ("del Diablo", "of the Devil"),
    ),
    "it": (
        ("di Roma", "of Rome"),
        ("di Notte", "by Night"),
        ("del Mare", "of the Sea"),
        ("senza Fine", "Without End"),
        ("d'Amore", "of Love"),
        ("a Venezia", "in Venice"),
    ),
}
# (romanised, native, english)
JA_WORDS = (
    ("Kaze", "風", "Wind"),
    ("Tani", "谷", "Valley"),
    ("Yoru", "夜", "Night"),
    ("Tsuki", "月", "Moon"),
    ("Yume", "夢", "Dream"),
    ("Sora", "空", "Sky"),
    ("Umi", "海", "Sea"),
    ("Hana", "花", "Flower"),
    ("Kage", "影", "Shadow"),
    ("Shiro", "城", "Castle"),
    ("Mori", "森", "Forest"),
    ("Ame", "雨", "Rain"),
    ("Yuki", "雪", "Snow"),
    ("Hoshi", "星", "Star"),
    ("Tokyo", "東京", "Tokyo"),
    ("Kokoro", "心", "Heart"),
    ("Samurai", "侍", "Samurai"),
    ("Ōkami", "狼", "Wolf"),
)
KO_WORDS = (
    ("Bam", "밤", "Night"),
    ("Bada", "바다", "Sea"),
    ("Bom", "봄", "Spring"),
    ("Gajok", "가족", "Family"),
    ("Haebyeon", "해변", "Beach"),
    ("Sarang", "사랑", "Love"),
    ("Gwimul", "괴물", "The Host"),
    ("Haenyeo", "해녀", "Diver"),
    ("Ilgi", "일기", "Diary"),
    ("Sinseon", "신선", "Hermit"),
    ("Gil", "길", "Road"),
    ("Bimil", "비밀", "Secret"),
    ("Manchu", "만추", "Late Autumn"),
    ("Seoul", "서울", "Seoul"),
    ("Yeoreum", "여름", "Summer"),
    ("Geurimja", "그림자", "Shadow"),
)

# --- overview building blocks ------------------------------------------------------------------
CITIES = (
    "Los Angeles",
    "New York",
    "Chicago",
    "San Francisco",
    "New Orleans",
    "London",
    "Paris",
    "Berlin",
    "Rome",
    "Tokyo",
    "Seoul",
    "Madrid",
    "Mexico City",
    "Boston",
    "Detroit",
    "Miami",
    "Marseille",
    "Lisbon",
    "Hong Kong",
    "Vienna",
    "Dublin",
    "Glasgow",
    "Sydney",
    "Toronto",
    "Montreal",
    "Buenos Aires",
    "Istanbul",
    "Cairo",
    "Mumbai",
    "Prague",
)
SETTINGS = (
    "in a small {region} town",
    "on a remote island",
    "in a sleepy coastal village",
    "in the suburbs",
    "on a cattle ranch",
    "in a crumbling mansion",
    "aboard a cargo ship",
    "in a mining town",
    "at a boarding school",
    "in a border town",
)
REGIONS = ("Midwestern", "New England", "Texas", "Scottish", "Australian", "Alpine", "Southern")

ROLES = {
    "Action": (
        "a former special forces operative",
        "a rogue cop",
        "an ex-mercenary",
        "a getaway driver",
        "a bodyguard",
    ),
    "Adventure": (
        "a young explorer",
        "a treasure hunter",
        "a bush pilot",
        "a cartographer",
        "a runaway teenager",
    ),
    "Animation": (
        "a curious young fox",
        "a small robot",
        "a brave little mouse",
        "a shy dragon",
        "a lost penguin",
    ),
    "Comedy": (
        "a hapless wedding planner",
        "an out-of-work actor",
        "a clumsy substitute teacher",
        "a neurotic food critic",
        "a reluctant best man",
    ),
    "Crime": (
        "a weary detective",
        "a small-time crook",
        "a crooked accountant",
        "an ambitious prosecutor",
        "a mob enforcer",
    ),
    "Documentary": (
        "a team of filmmakers",
        "two veteran journalists",
        "marine biologists",
        "retired musicians",
        "community organisers",
    ),
    "Drama": (
        "a grieving widow",
        "a struggling single parent",
        "an aging boxer",
        "a young immigrant",
        "a small-town doctor",
    ),
    "Family": (
        "a lonely eleven-year-old",
        "a new kid in town",
        "a retired toymaker",
        "a young farmhand",
        "a zookeeper's child",
    ),
    "Fantasy": (
        "an apprentice sorcerer",
        "an exiled princess",
        "a reluctant knight",
        "a village blacksmith",
        "a young witch",
    ),
    "History": (
        "a court scribe",
        "a Roman legionary",
        "a factory seamstress",
        "a Napoleonic officer",
        "a medieval monk",
    ),
    "Horror": (
        "a reclusive writer",
        "a night-shift nurse",
        "a grieving parent",
        "a new schoolteacher",
        "a caretaker",
    ),
    "Music": (
        "a struggling jazz pianist",
        "a teenage singer",
        "a punk singer",
        "a session drummer",
        "a gifted violinist",
    ),
    "Mystery": (
        "an amateur sleuth",
        "a crime novelist",
        "an insurance investigator",
        "a retired inspector",
        "a village vicar",
    ),
    "Romance": (
        "a hopeless romantic",
        "a bookshop owner",
        "a travelling photographer",
        "a pastry chef",
        "a widowed architect",
    ),
    "Science Fiction": (
        "a starship engineer",
        "a young physicist",
        "an android",
        "a colony botanist",
        "a disgraced astronaut",
    ),
    "TV Movie": (
        "a busy real-estate agent",
        "a small-town baker",
        "a big-city lawyer",
        "a veterinarian",
        "a single father",
    ),
    "Thriller": (
        "a paranoid journalist",
        "a reformed hacker",
        "an air traffic controller",
        "a witness in hiding",
        "a kidnapped banker",
    ),
    "War": (
        "a young infantry soldier",
        "a field nurse",
        "a bomber pilot",
        "a resistance fighter",
        "a platoon sergeant",
    ),
    "Western": (
        "a drifting gunslinger",
        "a frontier marshal",
        "a widowed homesteader",
        "a bounty hunter",
        "a cattle driver",
    ),
}
PLOTS = {
    "Action": (
        "must stop a terrorist cell before it strikes the capital",
        "fights {pos} way through a city controlled by a ruthless cartel",
        "is forced out of retirement to rescue a kidnapped diplomat",
    ),
    "Adventure": (
        "sets out to find a legendary lost city",
        "races rivals across three continents",
        "follows an old map into uncharted jungle",
    ),
    "Animation": (
        "sets off on a journey to find {pos} way home",
        "discovers a hidden world beneath the city",
        "teams up with unlikely friends to save the forest",
    ),
    "Comedy": (
        "accidentally books two weddings on the same day",
        "pretends to be a millionaire to impress {pos} new neighbours",
        "is stuck with {pos} eccentric relatives for one chaotic weekend",
    ),
    "Crime": (
        "is drawn into a murder that the police would rather forget",
        "tries to pay off a debt to the wrong people",
        "uncovers corruption reaching the mayor's office",
    ),
    "Documentary": (
        "spend five years following the people behind a vanishing craft",
        "retrace the rise and fall of a forgotten music scene",
        "investigate what really happened to a small town's water supply",
    ),
    "Drama": (
        "tries to rebuild {pos} life after a devastating loss",
        "returns home to care for an ailing parent",
        "faces the hardest choice of {pos} life",
    ),
    "Family": (
        "finds a magical creature in the garden shed",
        "must save the family farm from developers",
        "enters an unlikely contest to win back {pos} best friend",
    ),
    "Fantasy": (
        "is chosen to carry an ancient relic across a divided kingdom",
        "breaks a curse that has slept for a thousand years",
        "discovers {pos} gift for magic on the eve of war",
    ),
    "History": (
        "witnesses the last days of a dynasty",
        "risks everything to tell the truth at court",
        "is caught up in a revolution that will change the nation",
    ),
    "Horror": (
        "moves into an isolated farmhouse with a dark past",
        "begins to hear voices in the walls",
        "is stalked by something in the woods",
    ),
    "Music": (
        "gets one last shot at a record deal",
        "forms an unlikely band with strangers",
        "chases the sound of a legendary lost recording",
    ),
    "Mystery": (
        "investigates a disappearance that no one wants solved",
        "receives a letter from a woman declared dead years ago",
        "is invited to a country house where a guest is soon found dead",
    ),
    "Romance": (
        "falls for the one person {subj} swore never to love",
        "meets a stranger on a night train to Vienna",
        "rekindles a long-lost love one summer",
    ),
    "Science Fiction": (
        "discovers a signal from deep space",
        "wakes aboard a generation ship drifting off course",
        "must decide whether to trust an artificial intelligence",
    ),
    "TV Movie": (
        "returns to {pos} hometown and rediscovers what matters",
        "inherits a failing inn",
        "competes in a small-town baking contest",
    ),
    "Thriller": (
        "is pulled into a conspiracy that reaches the highest levels of government",
        "has twenty-four hours to prove {pos} innocence",
        "becomes the target of a meticulous killer",
    ),
    "War": (
        "must lead {pos} unit behind enemy lines",
        "struggles to survive a brutal siege",
        "volunteers for a mission no one is expected to return from",
    ),
    "Western": (
        "rides into a lawless town ruled by a cattle baron",
        "seeks revenge on the gang that burned {pos} farm",
        "escorts a prisoner across hostile territory",
    ),
}
CLOSERS = (
    "What follows will change everything {subj} believed.",
    "Time is running out.",
    "Nothing will ever be the same.",
    "Along the way, old wounds resurface.",
    "But not everyone is who they seem.",
    "The price of the truth may be too high.",
    "A story of courage, friendship and loss.",
)

TRAIT_CUES = {
    "film_noir": (
        "A femme fatale with secrets of her own leads {obj} into a web of double-crosses.",
        "Told in hard-boiled voice-over, the case sinks into the city's rain-slicked underworld.",
        "Shadows, lies and a doomed love affair close in around {obj}.",
    ),
    "time_travel": (
        "A malfunctioning experiment sends {obj} back in time.",
        "Trapped in a time loop, {subj} relives the same day again and again.",
        "A visitor from the future warns that history is about to change.",
    ),
    "heist": (
        "{Subj} assembles a crew of specialists to rob an impenetrable vault.",
        "The plan: steal a priceless diamond in a single night.",
        "One last heist should settle every debt, if the crew can trust each other.",
    ),
    "based_on_true_story": (
        "Based on a true story.",
        "Inspired by real events that shocked the nation.",
        "The film recounts the remarkable true story behind the headlines.",
    ),
    "christmas": (
        "It all happens in the week before Christmas.",
        "As snow falls on Christmas Eve, the holiday spirit is put to the test.",
        "Santa's reputation hangs in the balance this Christmas.",
    ),
    "mind_bending": (
        "Soon dreams and memories blur, and reality itself begins to unravel.",
        "Nothing is what it seems in a puzzle that folds in on itself.",
        "Each answer opens a stranger question about what is real.",
    ),
    "strong_female_lead": (
        "Fierce and resourceful, she refuses to be anyone's victim.",
        "She will have to outwit every man who underestimates her.",
        "Determined to succeed on her own terms, she takes charge.",
    ),
    "animated_family": (
        "An animated adventure for the whole family.",
        "This colourful animated tale is full of songs and talking animals.",
        "A heart-warming animated story about friendship and home.",
    ),
    "slow_burn_horror": (
        "A creeping dread settles in as small, inexplicable things begin to happen.",
        "The terror builds slowly, in silence and shadow.",
        "Isolation and grief give way to a quiet, mounting horror.",
    ),
    "cult_classic": (
        "Dismissed on release, it became a midnight-movie favourite.",
        "A one-of-a-kind oddity that gathered a devoted cult following.",
        "Its outrageous style made it a cult classic.",
    ),
}
TRAIT_KEYWORDS = {
    "film_noir": (
        "film noir",
        "femme fatale",
        "private detective",
        "neo-noir",
        "double cross",
        "hard-boiled",
    ),
    "time_travel": ("time travel", "time loop", "time machine", "alternate timeline", "paradox"),
    "heist": ("heist", "bank robbery", "vault", "safecracker", "con artist", "robbery crew"),
    "based_on_true_story": (
        "based on true story",
        "biography",
        "true crime",
        "historical figure",
        "based on real events",
    ),
    "christmas": ("christmas", "christmas eve", "santa claus", "holiday", "christmas party"),
    "mind_bending": (
        "dream",
        "alternate reality",
        "memory loss",
        "nonlinear timeline",
        "twist ending",
        "surreal",
    ),
    "strong_female_lead": ("female protagonist", "strong woman", "heroine", "woman in charge"),
    "animated_family": (
        "animation",
        "talking animals",
        "computer animation",
        "hand-drawn animation",
        "musical",
        "family film",
    ),
    "slow_burn_horror": (
        "slow burn",
        "haunted house",
        "atmospheric",
        "dread",
        "folk horror",
        "isolation",
    ),
    "cult_classic": ("cult film", "midnight movie", "b movie", "camp", "cult classic"),
}
# Near-miss keywords put on movies that do NOT have the trait, so the genres and keywords alone
# never decide it.
DECOY_KEYWORDS = {
    "film_noir": ("detective", "murder", "nightclub"),
    "time_travel": ("future", "clock"),
    "heist": ("robbery", "money"),
    "based_on_true_story": ("historical setting", "biopic style"),
    "christmas": ("winter", "snow", "family reunion"),
    "mind_bending": ("psychological",),
    "strong_female_lead": ("woman", "mother daughter relationship"),
    "animated_family": ("children", "animal"),
    "slow_burn_horror": ("supernatural", "ghost"),
    "cult_classic": ("low budget", "satire"),
}
GENRE_KEYWORDS = {
    "Action": ("shootout", "car chase", "martial arts", "explosion", "revenge"),
    "Adventure": ("treasure hunt", "jungle", "quest", "expedition"),
    "Animation": ("anime", "stop motion", "cartoon"),
    "Comedy": ("road trip", "wedding", "buddy comedy", "satire"),
    "Crime": ("murder", "police", "organized crime", "drug dealer", "corruption"),
    "Documentary": ("interview", "archive footage", "music documentary", "nature"),
    "Drama": ("family relationships", "grief", "coming of age", "small town", "friendship"),
    "Family": ("friendship", "dog", "siblings", "summer vacation"),
    "Fantasy": ("magic", "dragon", "sword and sorcery", "fairy tale"),
    "History": ("19th century", "world war ii", "ancient rome", "period drama"),
    "Horror": ("supernatural", "slasher", "possession", "ghost", "gore"),
    "Music": ("musician", "concert", "jazz", "rock band"),
    "Mystery": ("whodunit", "investigation", "disappearance"),
    "Romance": ("love triangle", "first love", "romantic comedy", "forbidden love"),
    "Science Fiction": ("space", "artificial intelligence", "dystopia", "alien", "robot"),
    "TV Movie": ("hometown", "small business"),
    "Thriller": ("conspiracy", "kidnapping", "serial killer", "hostage", "espionage"),
    "War": ("world war ii", "soldier", "battle", "prisoner of war"),
    "Western": ("gunslinger", "frontier", "outlaw", "cattle drive", "sheriff"),
}
GENERIC_KEYWORDS = (
    "new york city",
    "based on novel or book",
    "los angeles, california",
    "friendship",
    "revenge",
    "independent film",
    "duringcreditsstinger",
    "father son relationship",
    "woman director",
    "remake",
    "sequel",
    "1970s",
    "1980s",
    "loneliness",
    "betrayal",
    "hospital",
    "paris, france",
)

STUDIOS = {
    "en": (
        "Warner Bros. Pictures",
        "Universal Pictures",
        "Paramount Pictures",
        "20th Century Fox",
        "Columbia Pictures",
        "Metro-Goldwyn-Mayer",
        "Walt Disney Pictures",
        "Lionsgate",
        "New Line Cinema",
        "Miramax",
        "A24",
        "Focus Features",
        "Blumhouse Productions",
        "Legendary Pictures",
        "DreamWorks Pictures",
        "United Artists",
        "RKO Radio Pictures",
        "Orion Pictures",
        "Amblin Entertainment",
        "Searchlight Pictures",
        "Neon",
        "Annapurna Pictures",
        "Working Title Films",
        "Hammer Films",
        "Pixar",
        "Illumination",
    ),
    "fr": ("Gaumont", "Pathé", "StudioCanal", "EuropaCorp", "Les Films du Losange", "MK2"),
    "de": ("Constantin Film", "UFA", "X Filme Creative Pool", "Bavaria Film", "Studio Babelsberg"),
    "es": ("El Deseo", "Telecinco Cinema", "Estudios Churubusco", "Atresmedia Cine"),
    "it": ("Cinecittà", "Titanus", "Rai Cinema", "Medusa Film", "Lux Film"),
    "ja": ("Toho", "Toei", "Shochiku", "Studio Ghibli", "Nikkatsu", "Kadokawa"),
    "ko": ("CJ Entertainment", "Showbox", "Lotte Entertainment", "Next Entertainment World"),
}
STUDIO_SUFFIXES = ("Pictures", "Films", "Studios", "Entertainment", "Productions", "Film Company")
