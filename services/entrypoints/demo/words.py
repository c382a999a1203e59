"""Words the demo builds German gastronomy from. Every business name is made up."""

from __future__ import annotations

# Region code -> cities as (name, inhabitants in thousands, phone area code, postcode).
CITIES: dict[str, tuple[tuple[str, int, str, str], ...]] = {
    "NORTH": (
        ("Hamburg", 1850, "040", "20095"), ("Bremen", 570, "0421", "28195"), ("Hannover", 540, "0511", "30159"),
        ("Kiel", 247, "0431", "24103"), ("Lübeck", 217, "0451", "23552"), ("Rostock", 209, "0381", "18055"),
        ("Braunschweig", 249, "0531", "38100"), ("Oldenburg", 170, "0441", "26122"),
        ("Osnabrück", 165, "0541", "49074"), ("Wolfsburg", 125, "05361", "38440"),
        ("Göttingen", 118, "0551", "37073"), ("Bremerhaven", 113, "0471", "27568"),
        ("Hildesheim", 101, "05121", "31134"), ("Schwerin", 96, "0385", "19053"),
        ("Flensburg", 92, "0461", "24937"), ("Lüneburg", 77, "04131", "21335"), ("Celle", 70, "05141", "29221"),
        ("Wilhelmshaven", 76, "04421", "26382"), ("Stralsund", 59, "03831", "18439"),
        ("Cuxhaven", 48, "04721", "27472"), ("Sylt", 18, "04651", "25980"),
    ),
    "EAST": (
        ("Berlin", 3700, "030", "10117"), ("Leipzig", 600, "0341", "04109"), ("Dresden", 560, "0351", "01067"),
        ("Chemnitz", 245, "0371", "09111"), ("Potsdam", 185, "0331", "14467"), ("Cottbus", 99, "0355", "03046"),
        ("Zwickau", 88, "0375", "08056"), ("Plauen", 64, "03741", "08523"), ("Görlitz", 56, "03581", "02826"),
        ("Frankfurt (Oder)", 57, "0335", "15230"), ("Brandenburg an der Havel", 73, "03381", "14776"),
        ("Bautzen", 38, "03591", "02625"), ("Freiberg", 40, "03731", "09599"),
        ("Neubrandenburg", 63, "0395", "17033"), ("Greifswald", 59, "03834", "17489"),
        ("Meißen", 28, "03521", "01662"),
    ),
    "SOUTH": (
        ("München", 1510, "089", "80331"), ("Stuttgart", 630, "0711", "70173"), ("Nürnberg", 520, "0911", "90402"),
        ("Augsburg", 300, "0821", "86150"), ("Karlsruhe", 306, "0721", "76133"), ("Mannheim", 315, "0621", "68159"),
        ("Freiburg im Breisgau", 236, "0761", "79098"), ("Regensburg", 153, "0941", "93047"),
        ("Ingolstadt", 140, "0841", "85049"), ("Würzburg", 127, "0931", "97070"), ("Ulm", 127, "0731", "89073"),
        ("Heidelberg", 160, "06221", "69117"), ("Heilbronn", 127, "07131", "74072"),
        ("Pforzheim", 126, "07231", "75175"), ("Erlangen", 113, "09131", "91052"),
        ("Reutlingen", 117, "07121", "72764"), ("Konstanz", 85, "07531", "78462"), ("Passau", 53, "0851", "94032"),
        ("Rosenheim", 64, "08031", "83022"), ("Bamberg", 78, "0951", "96047"), ("Kempten", 70, "0831", "87435"),
        ("Garmisch-Partenkirchen", 27, "08821", "82467"),
    ),
    "WEST": (
        ("Köln", 1080, "0221", "50667"), ("Düsseldorf", 620, "0211", "40213"), ("Dortmund", 590, "0231", "44135"),
        ("Essen", 580, "0201", "45127"), ("Duisburg", 500, "0203", "47051"), ("Bochum", 365, "0234", "44787"),
        ("Wuppertal", 355, "0202", "42103"), ("Bielefeld", 335, "0521", "33602"), ("Bonn", 330, "0228", "53111"),
        ("Münster", 318, "0251", "48143"), ("Aachen", 250, "0241", "52062"),
        ("Gelsenkirchen", 260, "0209", "45879"), ("Mönchengladbach", 260, "02161", "41061"),
        ("Krefeld", 227, "02151", "47798"), ("Oberhausen", 209, "0208", "46045"), ("Hagen", 189, "02331", "58095"),
        ("Saarbrücken", 180, "0681", "66111"), ("Trier", 110, "0651", "54290"), ("Koblenz", 114, "0261", "56068"),
        ("Paderborn", 152, "05251", "33098"), ("Siegen", 102, "0271", "57072"), ("Neuss", 153, "02131", "41460"),
    ),
    "CENTRAL": (
        ("Frankfurt am Main", 760, "069", "60311"), ("Wiesbaden", 278, "0611", "65183"),
        ("Mainz", 218, "06131", "55116"), ("Kassel", 201, "0561", "34117"), ("Darmstadt", 160, "06151", "64283"),
        ("Offenbach am Main", 130, "069", "63065"), ("Erfurt", 214, "0361", "99084"), ("Jena", 110, "03641", "07743"),
        ("Halle (Saale)", 238, "0345", "06108"), ("Magdeburg", 237, "0391", "39104"),
        ("Gießen", 90, "0641", "35390"), ("Marburg", 77, "06421", "35037"), ("Fulda", 68, "0661", "36037"),
        ("Weimar", 65, "03643", "99423"), ("Gera", 93, "0365", "07545"), ("Hanau", 96, "06181", "63450"),
        ("Gotha", 45, "03621", "99867"), ("Dessau-Roßlau", 75, "0340", "06844"), ("Wetzlar", 53, "06441", "35578"),
    ),
}

# Share of all customers per region (the south and west have the most kitchens).
REGION_SHARE = {"NORTH": 0.18, "EAST": 0.17, "SOUTH": 0.25, "WEST": 0.26, "CENTRAL": 0.14}

FIRST_NAMES = (
    "Lukas", "Leon", "Finn", "Jonas", "Paul", "Felix", "Maximilian", "Elias", "Noah", "Ben", "Luca", "Julian",
    "Tim", "Jan", "Niklas", "Moritz", "Tobias", "Florian", "Stefan", "Thomas", "Michael", "Andreas", "Markus",
    "Christian", "Sebastian", "Daniel", "Matthias", "Alexander", "Frank", "Jürgen", "Uwe", "Klaus", "Wolfgang",
    "Sabine", "Anna", "Lena", "Mia", "Emma", "Hannah", "Sophie", "Marie", "Laura", "Lea", "Julia", "Katharina",
    "Sarah", "Lisa", "Johanna", "Clara", "Nina", "Petra", "Claudia", "Susanne", "Andrea", "Birgit", "Monika",
    "Stefanie", "Nicole", "Melanie", "Sandra", "Anja", "Kerstin", "Heike", "Franziska", "Charlotte", "Greta",
    "Ida", "Yusuf", "Mehmet", "Elif", "Marco", "Giulia", "Aleksandra", "Piotr", "Ole", "Hendrik", "Jannik",
    "Carsten", "Dirk", "Ralf", "Bernd", "Svenja", "Maren", "Ines", "Tanja", "Silke", "Vanessa", "Kai",
)

LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel",
    "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann",
    "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher",
    "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas",
    "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Pohl", "Engel", "Horn", "Busch",
    "Bergmann", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer", "Yilmaz", "Kaya", "Nowak", "Kowalski",
    "Rossi", "Petersen", "Jensen", "Hansen", "Brinkmann", "Thiel", "Kramer", "Ernst",
)

# Kitchen types of the field catalog, their share among single sites, and their name parts.
KITCHEN_TYPES = ("RESTAURANT", "CANTEEN", "HOTEL_KITCHEN", "CATERING", "SYSTEM_GASTRONOMY")
KITCHEN_SHARE = (0.46, 0.22, 0.14, 0.10, 0.08)

RESTAURANT_PREFIXES = ("Gasthaus", "Restaurant", "Landgasthof", "Wirtshaus", "Brauhaus", "Gasthof", "Weinstube",
                       "Ratskeller", "Bistro", "Brasserie", "Gaststätte", "Dorfkrug")
RESTAURANT_CORES = ("Zur Linde", "Zum Löwen", "Zum Hirschen", "Zur Post", "Zur Krone", "Adler", "Sonne", "Ochsen",
                    "Am Markt", "Am See", "Lindenhof", "Eichenhof", "Alte Mühle", "Schwanen", "Rose", "Bären",
                    "Goldener Stern", "Alte Schmiede", "Fährhaus", "Seeblick", "Am Stadttor", "Zum Anker",
                    "Zur Traube", "Rebstock", "Kastanienhof", "Am Dom", "Zum Schiffchen", "Lamm")
ITALIAN_PREFIXES = ("Trattoria", "Ristorante", "Osteria", "Pizzeria")
ITALIAN_CORES = ("Da Marco", "Bella Vista", "La Piazza", "Da Giulia", "Il Porto", "La Cucina", "Toscana",
                 "Vesuvio", "Al Forno", "Da Enzo", "Il Giardino", "Amalfi")
CANTEEN_PREFIXES = ("Kantine", "Betriebsrestaurant", "Casino", "Mitarbeiterrestaurant", "Werkskantine")
INDUSTRIES = ("Logistik", "Maschinenbau", "Metallbau", "Versicherung", "Elektrotechnik", "Fahrzeugteile",
              "Chemie", "Pharma", "Verlag", "Spedition", "Textil", "Kunststofftechnik", "Software", "Druckerei",
              "Stahlbau", "Anlagenbau", "Lebensmittel", "Energie", "Bauunternehmung", "Medizintechnik")
INSTITUTION_KITCHENS = ("Zentralküche Klinikum", "Mensa Hochschule", "Schulverpflegung", "Küche Seniorenresidenz",
                        "Kita-Verpflegung", "Mensa Universität", "Küche Reha-Zentrum")
HOTEL_PREFIXES = ("Hotel", "Parkhotel", "Landhotel", "Romantikhotel", "Seehotel", "Stadthotel", "Kurhotel",
                  "Tagungshotel", "Sporthotel", "Hotel Garni")
HOTEL_CORES = ("Zur Post", "Krone", "Adler", "Am Park", "Bellevue", "Residenz", "Kaiserhof", "Europäischer Hof",
               "Schlossblick", "Sonnenhof", "Alpenblick", "Seeblick", "Am Dom", "Am Markt", "Lindenhof",
               "Bergfried", "Waldesruh", "Rheinblick", "Hafenblick", "Zum Ritter")
CATERING_FORMS = ("{} Catering", "Partyservice {}", "{} Event-Catering", "Menüdienst {}", "Cateringküche {}")
SYSTEM_PREFIXES = ("Burgerei", "Schnitzelhaus", "Backstube Café", "Currywurst-Eck", "Suppenbar", "Salatbar",
                   "Asia-Imbiss", "Bowl-Bar", "Pizza-Express", "Grillstation")
SYSTEM_CORES = ("am Markt", "am Bahnhof", "City", "Altstadt", "Nord", "Süd", "am Ring", "Zentrum", "am Hafen",
                "an der Uni")

# Big chains: (name, short name for locations, kitchen type, share of all customers, coverage shared).
BIG_CHAINS = (
    ("Burgerwerk Systemgastronomie", "Burgerwerk", "SYSTEM_GASTRONOMY", 0.0045, True),
    ("Kantinenpartner Deutschland", "Kantinenpartner", "CANTEEN", 0.0035, True),
    ("Pasta Primo", "Pasta Primo", "SYSTEM_GASTRONOMY", 0.003, False),
    ("Lindenhof Hotels & Resorts", "Lindenhof Hotel", "HOTEL_KITCHEN", 0.002, True),
    ("Backhaus Kramer Cafés", "Backhaus Kramer", "SYSTEM_GASTRONOMY", 0.0018, False),
    ("MenüMobil Catering", "MenüMobil", "CATERING", 0.0012, True),
)
# Small chains: "{surname}"-forms per kitchen type.
SMALL_CHAIN_FORMS = {
    "RESTAURANT": ("{} Gastronomie", "Gasthausgruppe {}", "{} Wirtshäuser", "Brauhäuser {}"),
    "CANTEEN": ("{} Betriebsverpflegung", "{} Kantinen", "Gemeinschaftsverpflegung {}"),
    "HOTEL_KITCHEN": ("{} Hotels", "Hotelgruppe {}", "{} Landhotels"),
    "CATERING": ("{} Catering-Gruppe", "Menüservice {}"),
    "SYSTEM_GASTRONOMY": ("{} Burger", "{} Backshops", "{}s Bowls", "{} Schnitzel & Co."),
}
LOCATION_SITES = ("Hauptbahnhof", "Altstadt", "Innenstadt", "Marktplatz", "Nord", "Süd", "Ost", "West",
                  "Flughafen", "Messe", "Einkaufszentrum", "Am Ring", "Hafen", "Universität", "Zentrum",
                  "Bahnhofstraße", "Schlossplatz", "Rathaus", "Gewerbepark", "Klinikum", "Stadion", "Parkstraße")

STREETS = ("Hauptstraße", "Bahnhofstraße", "Marktplatz", "Kirchstraße", "Gartenstraße", "Schulstraße",
           "Lindenallee", "Industriestraße", "Am Hafen", "Dorfstraße", "Mühlenweg", "Poststraße",
           "Ringstraße", "Schillerstraße", "Goethestraße", "Gewerbering", "Parkallee", "Rathausplatz")

SUPPLIERS = ("Gastro-Frisch GmbH", "Küchenprofi Großhandel", "Nordmenü Lieferdienst", "Südkost Vertrieb",
             "FrischeWerk AG", "Culinara Food Service", "Großküchen-Partner West", "Menükontor")

SAMPLE_NOTES = ("Bitte Anlieferung bis 10 Uhr", "Lieferung an den Hintereingang", "Küchenchef vorher anrufen",
                "Kühlware, bitte sofort einlagern", "Für die Verkostung am Freitag")
ACTIVITY_NOTES = ("Gespräch mit dem Küchenchef vor Ort", "Telefonat, Rückruf vereinbart",
                  "Verkostung mit dem Team", "Angebot besprochen", "Unterlagen per E-Mail geschickt",
                  "Termin in der Zentrale")
SENSORY_NOTES = ("Geschmack gut, etwas zu salzig", "Konsistenz überzeugt, Portionierung einfach",
                 "Sauce bindet gut, Farbe könnte kräftiger sein", "Team begeistert, passt zum Mittagstisch",
                 "Zu mild für unsere Gäste", "Gute Alternative zur Eigenproduktion", "Garzeit im Kombidämpfer passt",
                 "Preis-Leistung stimmt, Geschmack neutral")
KITCHEN_NOTES = ("Kombidämpfer vorhanden", "Glutenfreie Optionen gewünscht", "Kleine Küche, wenig Lagerplatz",
                 "Großer Mittagstisch, 11:30–14:00", "Viele Vegetarier unter den Gästen",
                 "Küchenchef wechselt im Frühjahr", "Bankettgeschäft am Wochenende", "Halal-Anfragen häufig")
DISHES = ("Rinderroulade mit Rotkohl", "Käsespätzle", "Hähnchenfrikassee", "Kartoffelsuppe", "Gulaschsuppe",
          "Linsen-Dal", "Veganer Burger", "Spargelcremesuppe", "Gänsekeule mit Klößen", "Wildragout",
          "Kürbissuppe", "Tomatensauce Mediterran", "Schokoladenmousse", "Vanillecreme mit Beeren",
          "Maultaschen in Brühe", "Currywurst mit Pommes", "Grillgemüse mit Hollandaise", "Sauerbraten")
# Seasons of the menu year: (label, start month, start day, end month, end day).
SEASONS = (
    ("Frühjahr/Spargel", 3, 15, 6, 24),
    ("Sommer/Grill", 6, 1, 8, 31),
    ("Herbst/Wild", 9, 15, 11, 15),
    ("Q4/Weihnachten", 10, 1, 12, 31),
    ("Winter/Eintopf", 1, 7, 3, 15),
)
ROI_SCENARIO_NAMES = ("Mittagstisch", "Bankett-Saison", "Frühstücksbuffet", "Abendkarte", "Kantinenlinie",
                      "Eventgeschäft", "Personalverpflegung")
