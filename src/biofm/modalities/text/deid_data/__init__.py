"""Word lists for :mod:`biofm.modalities.text.deid`: a small name gazetteer, eponyms, and capitalised
words that are never names.

Why Python constants and not text files: they ship with the package without package-data rules,
and a reviewer sees every entry in one diff.  The gazetteer is deliberately short (common US first
names and surnames) and leaves out names that are also English words, places or eponyms (Grace,
Will, Jordan, Bell, Burns, Lane …): a gazetteer hit needs no other cue, so an ambiguous entry
would cost precision on every note.  Context rules in ``deid_names.py`` find the names not listed here.

Plain words live beside this module: ``vocabulary`` (words of the bundled real texts), ``english``
(everyday English) and ``clinical`` (ward-note words, drug names).  A capitalised word in none of
them and in no list here is *unknown*; two unknown words in a row are taken for a name.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


FIRST_NAMES = _words("""
    James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew
    Anthony Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason
    Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Brandon Benjamin Samuel
    Gregory Alexander Patrick Raymond Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary
    Peter Kyle Ethan Walter Noah Jeremy Keith Roger Gerald Harold Sean Carl Arthur Lawrence Dylan
    Jesse Bryan Billy Bruce Albert Willie Gabriel Logan Alan Juan Wayne Elijah Randy Vincent Ralph
    Eugene Russell Bobby Philip Louis Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica
    Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda
    Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna
    Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine
    Maria Heather Diane Ruth Julie Olivia Joyce Victoria Kelly Lauren Christina Joan Evelyn Judith
    Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Sara Frances Kathryn Janice Abigail
    Alice Judy Sophia Denise Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany
    Marie Kayla Alexis Lori Carlos Luis Miguel Jorge Pedro Ahmed Mohammed Wei Priya Rahul
""")

SURNAMES = _words("""
    Smith Johnson Williams Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
    Wilson Anderson Taylor Moore Jackson Martin Lee Perez Thompson Harris Sanchez Clark Ramirez Lewis
    Robinson Walker Allen Torres Nguyen Wright Scott Baker Adams Nelson Carter Mitchell Roberts
    Phillips Evans Turner Diaz Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan
    Peterson Cooper Reed Bailey Howard Ramos Kim Cox Richardson Watson Brooks Chavez Bennett
    Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Ross Foster Jimenez Powell
    Jenkins Perry Sullivan Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero
    Patterson Hamilton Graham Reynolds Griffin Wallace Moreno Cole Hayes Bryant Herrera Gibson Ellis
    Tran Medina Aguilar Stevens Murray Castro Marshall Owens Harrison Fernandez McDonald Kennedy
    Vargas Chen Freeman Webb Tucker Guzman Crawford Olson Simpson Porter Gordon Mendez Silva Shaw
    Snyder Dixon Munoz Hicks Holmes Palmer Wagner Robertson Boyd Salazar Warren Meyer Schmidt Garza
    Daniels Ferguson Nichols Stephens Soto Weaver Gardner Payne Dunn Kelley Spencer Hawkins Arnold
    Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong
    Hudson Carroll Riley Andrews Alvarado Delgado Berry Perkins Hoffman Johnston Matthews Pena
    Richards Contreras Willis Carpenter Sandoval Wang Zhang Liu Singh Kumar Shah Cohen Levine
""")

# Eponyms in disease, sign and test names: never a name when the next word is in DISEASE_WORDS
# ("Parkinson disease", "Down syndrome", "Murphy sign"), even where it is also a common surname.
EPONYMS = _words("""
    Alzheimer Parkinson Crohn Hodgkin Huntington Asperger Tourette Raynaud Hashimoto Sjogren Sjögren
    Kaposi Marfan Cushing Addison Graves Paget Guillain Barre Barré Meniere Ménière Wernicke
    Korsakoff Creutzfeldt Jakob Lewy Duchenne Ehlers Danlos Tay Sachs Gaucher Niemann Pick Kawasaki
    Behcet Behçet Takayasu Hirschsprung Zollinger Ellison Wegener Goodpasture Lou Gehrig Dupuytren
    Peyronie Osgood Schlatter Perthes Legg Calve Brugada Bell Apgar Glasgow Gleason Babinski Romberg
    Kernig Brudzinski Trendelenburg Valsalva Heimlich Epley Tinel Phalen Homan Homans Chvostek
    Trousseau Kussmaul Cheyne Stokes Virchow Horner Charcot Broca Foley Hickman Doppler Holter
    Whipple Nissen Colles Monteggia Galeazzi Bennett Jones Smith Barrett Schatzki Mallory Weiss
    Zenker Meckel Budd Chiari Gilbert Crigler Najjar Dubin Wilson Still Conn Sheehan Klinefelter
    Noonan Prader Willi Angelman Rett Williams Turner Edwards Patau DiGeorge Bruton Wiskott Aldrich
    Chediak Higashi Becker Friedreich Lambert Eaton Ramsay Hunt Munchausen Burkitt Ewing Wilms
    Waldenstrom Waldenström Bowen Merkel Fanconi Bartter Gitelman Liddle Alport Berger Down Reiter
    Stevens Johnson Henoch Schonlein Schönlein Kimmelstiel Osler Janeway Roth Dressler Wolff White
    Cori Pompe Fabry Hurler Hunter Tietze Baker Morton Bouchard Heberden Allen Murphy McBurney
    Rovsing Cullen Courvoisier Wells Ranson Pugh Child Bishop Swan Ganz Jackson Pratt Pap Gram Ziehl
    Neelsen Lyme Chagas Bence Argyll Robertson Adie Todd Arnold Dandy Walker Willebrand Hippel
    Lindau Plummer Vinson Hurthle Churg Strauss Sezary Sézary Letterer Siwe Schuller Langerhans
    Brown Sequard Séquard Horton Tolosa Weber Sturge Lhermitte Uhthoff Parinaud Gunn Holmes Erb
    Klumpke Volkmann Sudeck Kienbock Kienböck Scheuermann Bankart Hill Jefferson Lisfranc
    Maisonneuve Pott Salter Harris Segond Tillaux Barton Hamman Boerhaave Beck Levine Graham Steell
    Flint Carey Coombs Killip Mobitz Wenckebach Ebstein Fallot Eisenmenger Kartagener Kallmann
    Hartnup Kearns Sayre Leigh Leber Usher Stargardt Coats Bowman
""")

# Eponyms that are (almost) never a person in a clinical note: never a name without a title
# ("Crohn's", "history of Alzheimer's", "Parkinson's"), whatever follows.
EPONYMS_ALONE = _words("""
    Alzheimer Parkinson Crohn Hodgkin Huntington Asperger Tourette Raynaud Hashimoto Sjogren Sjögren
    Kaposi Marfan Cushing Addison Paget Guillain Barre Barré Meniere Ménière Wernicke Korsakoff
    Creutzfeldt Jakob Lewy Duchenne Ehlers Danlos Gaucher Niemann Kawasaki Behcet Behçet Takayasu
    Hirschsprung Zollinger Wegener Goodpasture Gehrig Dupuytren Peyronie Osgood Schlatter Perthes
    Brugada Apgar Gleason Babinski Romberg Kernig Brudzinski Trendelenburg Valsalva Heimlich Epley
    Tinel Phalen Chvostek Trousseau Kussmaul Virchow Horner Charcot Broca Foley Doppler Holter
    Whipple Nissen Colles Monteggia Galeazzi Schatzki Zenker Meckel Chiari Crigler Najjar Sheehan
    Klinefelter Noonan Prader Angelman Rett DiGeorge Bruton Wiskott Chediak Higashi Friedreich
    Munchausen Burkitt Wilms Waldenstrom Waldenström Fanconi Bartter Gitelman Liddle Alport Henoch
    Schonlein Schönlein Kimmelstiel Janeway Dressler Pompe Fabry Hurler Tietze Heberden Bouchard
    McBurney Rovsing Courvoisier Ziehl Neelsen Lyme Chagas Bence Argyll Willebrand Hippel Lindau
    Hurthle Churg Sezary Sézary Letterer Siwe Schuller Langerhans Sequard Séquard Lhermitte Uhthoff
    Parinaud Sturge Klumpke Kienbock Kienböck Scheuermann Bankart Lisfranc Maisonneuve Segond
    Tillaux Boerhaave Killip Mobitz Wenckebach Ebstein Fallot Eisenmenger Kartagener Kallmann
    Hartnup Kearns Stargardt
""")

DISEASE_WORDS = _words("""
    disease diseases syndrome syndromes disorder lymphoma sarcoma tumor tumour carcinoma leukemia
    palsy sign signs test tests maneuver manoeuvre reflex phenomenon ulcer score scale criteria
    classification law procedure operation fracture fractures node nodes triad disease's dementia
    sclerosis anomaly anemia anaemia deformity contracture neuroma cyst catheter tube stain smear
    monitor fundoplication cells cell bodies body body's arthritis thyroiditis encephalopathy
    psychosis esophagus oesophagus diverticulum tear diverticulitis ileitis colitis flare
    lymphadenopathy nodule nodules node's type disease-like variant spots lesions lesion murmur
    phenomenon paralysis ataxia dystrophy myopathy neuropathy block blocks pattern point angle
    position classification equation formula stage staging grade count exam examination
""")

# Capitalised words that end a name or stop a cue from finding one (compared in lower case).
NOT_NAMES = _words("""
    patient patients pt pts the a an he she they his her their hers him them this that these those
    it its we our us i you your my me who which what when where why how there here today tonight
    yesterday tomorrow now then also and or but nor with without for to in on at by of from as if
    per via into onto over under after before during since until upon about above below between
    will may can could should would must shall might not no yes none nil unknown other others
    mr mrs ms dr prof doctor nurse sir madam
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    hospital clinic center centre medical medicine emergency department dept ed er icu micu sicu
    ccu nicu picu or pacu ward floor unit room bed service team staff group associates health
    system university memorial general regional county community children women mercy saint st
    cardiology neurology oncology radiology surgery urology nephrology pulmonology gastroenterology
    dermatology psychiatry pediatrics obstetrics gynecology orthopedics endocrinology rheumatology
    hematology ophthalmology anesthesia pathology pharmacy nursing social work physical therapy
    occupational speech nutrition dietary chaplain palliative hospice rehab rehabilitation
    internal family primary care urgent intensive critical infectious disease diseases
    history plan assessment impression diagnosis diagnoses note notes progress discharge admission
    summary report results result follow up followup visit office appointment consult consultation
    orders order instructions labs lab laboratory imaging vitals vital signs meds medications
    medication allergies allergy exam examination review systems hpi ros pmh psh fh sh cc chief
    complaint reason subjective objective data date time dob mrn ssn id name age sex gender male
    female phone fax email address contact signed seen attending resident fellow intern provider
    physician surgeon pcp rn np pa md do lpn cna msw lcsw pharmd phd dnp aprn
    mother father son daughter wife husband sister brother partner spouse friend family caregiver
    left right bilateral normal abnormal negative positive stable unchanged improved worse better
    general head neck chest heart lungs lung abdomen back skin extremities neuro psych eyes ears
    nose throat mouth blood urine stool pain fever cough nausea vomiting diarrhea fatigue
    hypertension diabetes cancer breast colon prostate stroke asthma copd cad chf ckd aki uti
    pneumonia sepsis anemia obesity depression anxiety dementia
    ct mri cxr ekg ecg echo ultrasound xray x-ray scan labs cbc bmp cmp ua
    tablet tablets capsule capsules dose doses daily nightly twice once weekly monthly prn po iv
    please call thank thanks dear regards sincerely hello hi okay ok good well fine
    ambulance ems police home nursing facility snf ltc rehab assisted living
    english spanish interpreter language insurance medicare medicaid
    covid covid-19 sars hiv hcv hbv
    parents parent mom dad sibling siblings sitter roommate girlfriend boyfriend guardian ems
    alert awake oriented pleasant cooperative comfortable resting sleeping lethargic confused afebrile
    pending deferred declined refused unable see above below n/a na
    never just actually like really finally always only even recently currently initially overall
    however anyway anyways still maybe probably definitely honestly unfortunately luckily hopefully
    denies reports states endorses complains presents returns notes admits
    micro microbiology notify page contact covering consulting practitioner discussed inform ask
""")

STATE_ABBREVIATIONS = _words("""
    AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY
    NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
""")

# Abbreviations that are also credentials, words or clinical shorthand ("Jane Doe, MD", "OR",
# "MS"): after "City," they only count as a state when a ZIP code follows.
AMBIGUOUS_STATES = _words("CO CT DE HI ID IN LA MA MD ME MS OK OR PA")

STATE_NAMES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
    "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
    "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)
