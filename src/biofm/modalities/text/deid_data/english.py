"""Everyday English words that the bundled texts happen to lack ("member", "remote", "access"), in lower case.

Written by hand from general English (no clinical source, no benchmark): the commonest nouns, verbs,
adjectives and adverbs of written English.  Like ``vocabulary.VOCABULARY``, a word here is no
evidence of a name; a person whose name is also a plain word is found by context alone.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


COMMON_WORDS = _words("""
    ability able about above accept accepted access accident according account across act action active actually add
    added address administration admit adult advice affect afraid after again against agency agent ago agree
    agreement ahead air all allow almost alone along already also although always among amount analysis and animal
    another answer any anyone anything appear application apply approach area argue arm around arrive art article
    artist as ask assume at attack attention attorney audience author authority available avoid away baby back bad
    bag ball bank bar base be beat beautiful because become bed before begin behavior behind believe benefit best
    better between beyond big bill billion bit black blood blue board body book born both box boy break bring
    brother budget build building business but buy by call camera campaign can cancer candidate capital car card
    care career carry case catch cause cell center central century certain certainly chair challenge chance change
    character charge check child choice choose church citizen city civil claim class clear clearly close coach cold
    collection college color come commercial common community company compare computer concern condition conference
    congress consider consumer contain continue control cost could country couple course court cover create crime
    cultural culture cup current customer cut dark data daughter day dead deal death debate decade decide decision
    deep defense degree democrat democratic describe design despite detail determine develop development die
    difference different difficult dinner direction director discover discuss discussion disease do doctor dog door
    down draw dream drive drop drug during each early east easy eat economic economy edge education effect effort
    eight either election else employee end energy enjoy enough enter entire environment environmental especially
    establish even evening event ever every everybody everyone everything evidence exactly example executive exist
    expect experience expert explain eye face fact factor fail fall family far fast father fear federal feel feeling
    few field fight figure fill film final finally financial find fine finger finish fire firm first fish five floor
    fly focus follow food foot for force foreign forget form former forward four free friend from front full fund
    future game garden gas general generation get girl give glass go goal good government great green ground group
    grow growth guess gun guy hair half hand hang happen happy hard have he head health hear heart heat heavy help
    her here herself high him himself his history hit hold home hope hospital hot hotel hour house how however huge
    human hundred husband idea identify if image imagine impact important improve in include including increase
    indeed indicate individual industry information inside instead institution interest interesting international
    interview into investment involve issue it item its itself job join just keep key kid kill kind kitchen know
    knowledge land language large last late later laugh law lawyer lay lead leader learn least leave left leg legal
    less let letter level lie life light like likely line list listen little live local long look lose loss lot love
    low machine magazine main maintain major majority make man manage management manager many market marriage
    material matter may maybe me mean measure media medical meet meeting member memory mention message method middle
    might military million mind minute miss mission model modern moment money month more morning most mother mouth
    move movement movie much music must my myself name nation national natural nature near nearly necessary need
    network never new news newspaper next nice night no none nor north not note nothing notice now number occur of
    off offer office officer official often oh oil ok old on once one only onto open operation opportunity option or
    order organization other others our out outside over own owner page pain painting paper parent part participant
    particular particularly partner party pass past patient pattern pay peace people per perform performance perhaps
    period person personal phone physical pick picture piece place plan plant play player point police policy
    political politics poor popular population position positive possible power practice prepare present president
    pressure pretty prevent price private probably problem process produce product production professional professor
    program project property protect prove provide public pull purpose push put quality question quickly quite race
    radio raise range rate rather reach read ready real reality realize really reason receive recent recently
    recognize record red reduce reflect region relate relationship religious remain remember remote remove report
    represent republican require research resource resources respond response responsibility rest result return
    reveal rich right rise risk road rock role room rule run safe same save say scene school science scientist score
    sea season seat second section security see seek seem sell send senior sense series serious serve service set
    seven several sex sexual shake share she shoot short shot should shoulder show side sign significant similar
    simple simply since sing single sister sit site situation six size skill skin small smile so social society
    soldier some somebody someone something sometimes son song soon sort sound source south southern space speak
    special specific speech spend sport spring staff stage stand standard star start state statement station stay
    step still stock stop store story strategy street strong structure student study stuff style subject success
    successful such suddenly suffer suggest summer support sure surface system table take talk task tax teach
    teacher team technology television tell ten tend term test than thank that the their them themselves then theory
    there these they thing think third this those though thought thousand threat three through throughout throw thus
    time to today together tonight too top total tough toward town trade traditional training travel treat treatment
    tree trial trip trouble true truth try turn two type under understand unit until up upon us use usually value
    various very victim view violence visit voice vote wait walk wall want war watch water way we weapon wear week
    weight well west western what whatever when where whether which while white who whole whom whose why wide wife
    will win wind window wish with within without woman wonder word work worker world worry would write writer wrong
    yard yeah year yes yet you young your yourself accessed accessible accessing accounts acted acting actions
    adding addressed addresses admission advised afternoon agreed allowed answered appeared applied appointment
    approved arranged arrived asked attached attempted attended avoided awake aware baseline began begun believed
    booked bought brief briefly broke broken brought busy called calling calls came cancelled canceled carried
    caught changed charged checked chose closed collected coming completed concerned confirmed connected considered
    contacted continued copied copies correct corrected created crying daily dated decided declined delivered denied
    described desk detailed did discussed done drank dressed drew driven dropped due earlier easily eaten ended
    entered evaluated everyday expected explained failed faxed felt filed filled finished fixed flagged followed
    forgot formed forms forwarded found friendly gave given gone got handed handout happened heard helped hired
    hoped housed included increased informed intended joined kept knew known lasted learned leaving led lent liked
    linked listed lived located login logout looked lost loved mailed mailing managed marked meant met missed mobile
    moved named needed noted noticed obtained occurred offered opened ordered owned paid passed personally phoned
    photo photos picked placed planned played posted prepared printout provided pulled quiet raised ran reached
    received recorded referred refused released remained remembered reminded removed rented repeated replaced
    replied reported requested required rescheduled reset returned reviewed rode sat saved scanned scheduled seemed
    sent served session settled shared showed shown signed slept sold spent spoke spoken started stated stayed
    stopped stored submitted suggested supposed talked taught telephone texted thanked threw told took tried turned
    typed understood updated upload uploaded used visited waited walked wanted watched went wished woke worked worn
    wrote tel fax pager portal online website email inbox link links click host server laptop tablet screen
    wristband sticker barcode badge chart charts file files folder letters envelope package parcel delivery courier
    post mail voicemail callback hotline helpline ambulance taxi transport bus train flight airport parking garage
    driveway porch bathroom bedroom stairs elevator lift hallway corridor lobby reception waiting warm cool wet dry
    soft loud bright clean dirty fresh stale sweet sour bitter salty rough smooth sharp dull thick thin narrow
    shallow weak slow quick empty complex dangerous cloudy calm cheap expensive sad angry tired sick healthy ill
    sore stiff tight loose flat round square straight curved minor basic extra further usual unusual regular formal
    informal weekly partial initial primary secondary proper compress compression warmth ice pack packs towel towels
    blanket blankets pillow pillows sheet sheets gown gowns glove gloves mask masks shoe shoes sock socks shirt
    pants coat hat glasses lens lenses tears drops cream creams ointment ointments lotion lotions spray sprays gel
    gels powder powders liquid liquids solution syrup syrups tea coffee juice milk soup bread meal meals snack
    snacks breakfast lunch supper sugar salt fruit fruits vegetable vegetables meat egg eggs rice pasta chicken beef
    pork cheese butter oils honey chocolate candy cake cookie cookies protocol protocols pathway pathways guideline
    guidelines procedure checklist bundle bundles sets orders request requests consent consents summary summaries
    reports notes instructions instruction teaching plans goals problems lists review reviews update updates results
    finding findings values levels ranges scores measures tests sample samples studies trials programs projects
    assisted independent dependent supervised unsupervised immobile passive alert artificial normal abnormal acute
    chronic recurrent persistent intermittent constant occasional frequent rare typical atypical essential benign
    malignant regional systemic diabetic cardiac renal hepatic pulmonary neurologic neurological psychiatric
    surgical nursing dental oral nasal ocular visual hearing feet hands arms legs eyes ear ears noon hours minutes
    seconds tomorrow northern eastern upper lower inner outer rear bottom fourth fifth previous following prior
    latter ranch apartment condo cottage bungalow farm cabin trailer shelter motel hostel uses using needs needing
    helps helping keeps keeping takes taking makes making gets getting goes going comes sees seeing looks looking
    feels seems seeming stays staying lives living works working plays playing walks walking runs running sits
    sitting stands standing sleeps sleeping eats eating drinks drinking reads reading writes writing speaks speaking
    hears thinks thinking knows knowing wants wanting likes liking loves loving hates hating tries trying starts
    starting stops stopping
""")
