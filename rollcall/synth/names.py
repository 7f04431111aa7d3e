"""Small built-in word lists for fake people, schools and districts.

Every name is invented from common words; none comes from a real student record. The lists are
short on purpose: the generator only needs plausible-looking text, and no value contains a comma or
a quote, so the CSV files never need quoting.
"""

from __future__ import annotations

FIRST_NAMES_F: tuple[str, ...] = (
    "Olivia", "Emma", "Ava", "Sophia", "Isabella", "Mia", "Amelia", "Harper", "Evelyn", "Abigail",
    "Emily", "Ella", "Elizabeth", "Camila", "Luna", "Sofia", "Avery", "Mila", "Aria", "Scarlett",
    "Penelope", "Layla", "Chloe", "Victoria", "Madison", "Eleanor", "Grace", "Nora", "Riley",
    "Zoey", "Hannah", "Hazel", "Lily", "Ellie", "Violet", "Lillian", "Zoe", "Stella", "Aurora",
    "Natalie", "Emilia", "Everly", "Leah", "Aubrey", "Willow", "Addison", "Lucy", "Audrey",
    "Bella", "Nova", "Brooklyn", "Paisley", "Savannah", "Claire", "Skylar", "Isla", "Genesis",
    "Naomi", "Elena", "Caroline", "Valentina", "Ximena", "Jasmine", "Mariana", "Daniela",
    "Fatima", "Aaliyah", "Imani", "Jada", "Mei", "Priya", "Aisha", "Keira", "Tatum", "Leilani",
)  # fmt: skip

FIRST_NAMES_M: tuple[str, ...] = (
    "Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin", "Lucas", "Henry",
    "Theodore", "Jack", "Levi", "Alexander", "Jackson", "Mateo", "Daniel", "Michael", "Mason",
    "Sebastian", "Ethan", "Logan", "Owen", "Samuel", "Jacob", "Asher", "Aiden", "John", "Joseph",
    "Wyatt", "David", "Leo", "Luke", "Julian", "Hudson", "Grayson", "Matthew", "Ezra", "Gabriel",
    "Carter", "Isaac", "Jayden", "Luca", "Anthony", "Dylan", "Lincoln", "Thomas", "Maverick",
    "Elias", "Josiah", "Charles", "Caleb", "Christopher", "Ezekiel", "Miles", "Jaxon", "Isaiah",
    "Andrew", "Joshua", "Nathan", "Santiago", "Diego", "Angel", "Jose", "Carlos", "Juan",
    "Malik", "Jamal", "Darius", "Omar", "Hiro", "Arjun", "Minh", "Kai", "Tane", "Koa",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
    "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
    "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Tran", "Chen", "Wong", "Begay", "Yazzie", "Kealoha", "Singh", "Okafor", "Haddad", "Novak",
)  # fmt: skip

PLACES: tuple[str, ...] = (
    "Riverside", "Fairview", "Greenville", "Franklin", "Clinton", "Springfield", "Georgetown",
    "Salem", "Madison", "Arlington", "Ashland", "Burlington", "Centerville", "Dover", "Oakdale",
    "Milton", "Newport", "Oxford", "Clayton", "Jackson", "Lakewood", "Marion", "Mount Vernon",
    "Oak Grove", "Pine Bluff", "Red Rock", "Sierra", "Bayview", "Cedar Falls", "Eastport",
    "Westfield", "Northbrook", "Southgate", "Hillcrest", "Maplewood", "Brookside", "Kingston",
    "Lexington", "Monroe", "Hamilton", "Harrison", "Lancaster", "Elmwood", "Pleasant Hill",
    "Stony Point", "Willow Creek", "Sandy Hook", "Golden Valley", "Silver Lake", "Rio Vista",
    "Los Robles", "San Benito", "Santa Rita", "Mesa Verde", "Canyon", "Prairie", "Bluewater",
    "Harbor", "Summit", "Highland", "Woodland", "Clearwater", "Rockport", "Fox River",
)  # fmt: skip

PLACE_SUFFIXES: tuple[str, ...] = (
    "", " Valley", " Heights", " Springs", " Creek", " Hills", " Park", " Plains", " City",
    " Junction", " Ridge", " Falls", " Township", " County", " Union", " Lakes",
)  # fmt: skip

DISTRICT_KINDS: tuple[str, ...] = (
    "Unified School District", "School District", "Public Schools", "Independent School District",
    "City Schools", "Community Schools",
)  # fmt: skip

SCHOOL_STEMS: tuple[str, ...] = (
    "Lincoln", "Washington", "Jefferson", "Roosevelt", "Kennedy", "Franklin", "Adams", "Monroe",
    "Jackson", "Madison", "Sunset", "Sunrise", "Hillside", "Lakeview", "Parkside", "Meadow",
    "Oak", "Cedar", "Maple", "Pine", "Willow", "Cherry", "Aspen", "Sequoia", "Redwood",
    "Valley View", "Mountain View", "Bay", "Harbor", "River", "Eagle", "Falcon", "Hawk",
    "Chavez", "King", "Douglass", "Tubman", "Carver", "Earhart", "Curie", "Einstein", "Keller",
    "Parks", "Mendez", "Sotomayor", "Ochoa", "Ride", "Armstrong", "Hughes", "Morrison",
    "Central", "North", "South", "East", "West", "Crossroads", "Heritage", "Liberty", "Pioneer",
    "Frontier", "Discovery", "Horizon", "Vista", "Summit", "Canyon", "Desert", "Prairie",
)  # fmt: skip

SCHOOL_KIND_NAMES: dict[str, tuple[str, ...]] = {
    "elementary": ("Elementary", "Elementary School", "Primary School"),
    "middle": ("Middle School", "Middle", "Intermediate School", "Junior High"),
    "high": ("High School", "High", "Senior High School"),
    "k8": ("K-8 School", "Academy", "School"),
}
