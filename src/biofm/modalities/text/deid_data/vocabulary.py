"""Common lower-case words (English and clinical): a word listed here is not, on its own, evidence of a name.

Built once from the bundled real texts (``biofm/data/bundled``: drug reviews and HPO symptom
descriptions, about 317,000 words): every all-lower-case word of 3 to 14 letters seen at least twice,
less the gazetteer names (``FIRST_NAMES``, ``SURNAMES``).  Words such as "hope", "little" or "stone"
are here, so a person called Hope Little is found by context (a title, a cue word), never by shape.

Why a list and not a model: it ships inside the package, needs no download, and a reviewer can read it.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


VOCABULARY = _words("""
    abdomen abdominal abduction ability able ablepharon abnormal abnormalities abnormality abnormally abolished
    about above absence absent absolute absolutely abuse acanthosis accelerated accentuated accessory accommodative
    accumulation accumulations accustomed acetabula acetabulae acetabular acetabulum achalasia ache aches achieved
    achilles achromasia acid acidosis acids aciduria acne acoustic acquired acquisition acral acrochorda acrochordon
    acromelia acromicria acroosteolysis across acting action activation active activity actual actually acuity acute
    add added addiction adding adducted adductovarsus adductus adipose adjust adjusted adjusting adrenal
    adrenocortical adult adulthood advanced adverse advised adysplasia affect affected affecting affects afford
    after afternoon afterward afterwards again against aganglionic age aged agenesis aggression aggressive
    aggressiveness agitated agitation ago agree aid airway akinesia ala alacrima alae alanine alar alarm alata
    albinism albumin albuminuria alcohol alkaline all allergic allergies allergy allowed almond almost alone along
    alopecia alot alpha already also alternating alternative although altogether alveolar always amazed amazing
    amazingly ambiguous amblyopia ambulation amenorrhea amimia aminoaciduria ammonia amniotic amount amputation
    amyotrophy anaemia anagen anal anasarca and anemia anencephaly aneurysm aneurysmal anger angioma angle angry
    angulated anhydramnios anhydrosis animo aniridia anisometropia ankle ankyloglossia ankylosis annoyed annoying
    annular annulus anodontia anomalies anomalous anomaly anonychia anoperineal anophthalmia another anotia
    antecubital antenatal anteposition anterior anteriorly anteversion anteverted antibiotic antibiotics antibody
    antidepressant antihelix antitragus anus anxiety anxious anxiousness any anymore anyone anything anytime anyway
    aorta aortic apart apathy aperture aphalangy aplasia aplastic apnea apneic apnoea appearance appendicular
    appetite apple appointment appreciate approximately apraxia aqueduct aqueductal arachnodactyly arachnoid arch
    arched arches are area areflexia arhinencephaly arm arms around arrest arrhythmia arrhythmias arterial arteries
    arteriosus arteriovenous artery arthralgia arthralgias arthritis arthrogryposis arthropathy articulating
    articulation ascending ascites aside ask asked asking asleep aspartate aspect aspiration aspirin asplenia
    associated assume astatic asthma astigmatism astrocytes asymmetric asymmetry ataxia ataxic atelectasis athetoid
    athymia atlantoaxial atonic atopic atresia atretic atria atrial atrichia atrioseptal atrium atrophic atrophicae
    atrophy attached attachment attack attacks attainment attention attenuation atypical auditory auricle auricles
    auricular autism autistic autoagression autoimmune autonomic available avascular average avoid awake aware
    awareness away awesome awful awhile axenfeld axial axillary axonal babinski baby back backbone bacterial bad
    badly balance balanced bald balding ball ballooning band barely barrel basal base based basement basically
    basilar basis bathroom bay beak beaked beaking beaklike bearable beat beating beautifully beauty became because
    become bed bedroom bedtime been bees before beforehand began begin beginning behavior behavioral behaviors
    behaviour behavioural behaviours behind being belching believe belly below bends benefit benefits besnier best
    better between beyond bicarbonate biconcave bicornis bicornuate bicoronal bicuspid bifid bifida bifurcated big
    bigger bilateral bile biliary bilirubin bilobed biparietal bipolar birth birthweight bit bite bitemporal
    biventricular bladder blade bled bleed bleeding blemishes blepharoptosis blindness bloated bloating block
    blockage blocked blood blotching blue bluish blurred bodies body bolus bone bones bony boobs boost border
    borderline born bossing botalli both bother bottle bottom bouncing bow bowed bowel bowing box boyfriend
    brachycardia brachycephaly brachydactyly brachymelic bradycardia brain brainstem branch branchial branching
    brand brands breadth break breakdown breaking breakout breakouts breakthrough breast breastfeeding breasts
    breath breathe breathing breech bregma bridge brief bring brisk brittle broad broadened broader broke broken
    bronchial bronchiolitis bronchitis bronchomalacia brought brow bruisability bruise bruising brushfield bruxism
    build buildup bulbar bulbi bulbous bulge bulging bumps bumpy bunch bundle bunion buphthalmos burning burns burst
    bushy busy but butt butterfly buttocks button bydureon caesarian cafe cage calcaneovalgus calcaneovarus
    calcaneus calcific calcification calcifications calcium calculi calf call called callosal callosum calm calvaria
    calvarial calvarium came camptodactyly camptomelia can canal canaliculi canals cancer candidiasis cannot cant
    canthi canthorum cap capillary capital capsules car carcinoma card cardiac cardiomegaly cardiomyopathy
    cardiovascular care caries carinatum caring cariosity carious carnitine carotid carpal carpals carpet carried
    carries carry cartilage cartilaginous case cat cataract cataracts caudate caught cause caused causes causing
    cava caved cavernous cavities cavity cavum cavus celiac cell cells cellular cellulitis center centers central
    centres centripetal cerebellar cerebellum cerebral cerebri cerebrospinal cerebrum certain ceruloplasmin cervical
    cervix cessation chain chalazoderma chalked chamber chambers chance change changed changes changing charm cheap
    cheaper check checked cheek cheekbone cheeks cheiloschisis chest chevron chewing chiari child childhood children
    chin chloroquine choanal choice cholangitis cholelithiasis cholestasis cholesteatoma cholesterol choline
    chondral chondroitin chordee chorea choreiform choreoathetoid chorioretinal choroid chose chronic chronotype
    chylothorax cicatricial cigarettes ciliary circle circular circulating circulation circumcision circumference
    cirrhosis cisterna cisternae clarity clasping class clavicle clavicles claw clear cleared clearer clearing
    clearly cleft clefting clefts clenched clenching climbing clinodactyly clit clitoral clitoris clitoromegaly
    clivus clonic clonus close closed closely closes closing closure clothes clots clouding cloudy cloverleaf club
    clubbing clubfeet clubfoot clumping clumsiness cluster coagulation coanal coarctation coarse coccyx cochlea
    coeliac coffee cognition cognitive coil cold colds collapse collapsed collarbone collecting collection college
    colli coloboma colobomas colon colonic color colored colour colpocephaly columella coma combination combined
    combining combo come comes comfortable coming commissure commisures common communicating company compared
    complaint complaints complete completed completely complex compression compulsive con concave concavity
    concentrate concentrated concentration concentric concern concerned conchae condition conditions condom condoms
    conduction conductive condyle cone coned confident congenita congenital congestive conical conjugated
    conjunctivitis connection connective conoid conotruncal cons consciousness consider considering consistent
    consistently conspicious conspicuously constant constantly constipated constipation constricted constriction
    constrictive constructive contact content continual continue continued continuously contraction contractions
    contracture contractures contrave control controlled controlling controls convenient convergent convex convinced
    convulsion convulsions convulsive coordinate coordination copper cor cord cords corectopia cornea corneal
    corners coronal coronary corpus corpuscle correctly cortex cortical cortices corticospinal cortisol cost costal
    costiveness costochondral cough coughing could count counteract couple course cover covered cow cowlick coxa
    cramp cramping cramps cranial craniofacial cranium cranky crap crave cravings crawl crazy cream creams crease
    creases creatine creating creatinine crest cried crooked cross crossbite crossed crowded crowding crumpled crus
    cry crying cryptorchidism cryptorchism crystals csf cubitus cultured cup cupid cupped cupping curled curly
    currently curvature curved curving cushion cusp cut cutaneous cutis cycle cycles cyst cystic cystica cystine
    cysts cytochrome dacrocystitis daily dairy damage damaged dark darkened date daughter day days daytime deafness
    deal dealing dealt death debilitating decay deceleration decent decide decided deciding deciduous decision
    decrease decreased deep deeply defect defective defects defiant deficiency deficient deficit deficits defined
    definitely definition deformed deformities deformity degeneration degenerative degree dehydration delay delayed
    deletions deliberate delivery deltoid demeanor demeanour dementia demyelinating demyelination denervation dense
    density dent dental dentate dentition dependent depletion deposited deposits depressed depression depressive
    depressivity depth derma dermal dermatan dermatitis dermatologist dermatomegaly dermoid dermopathy desire
    despite desquamation detached detachment deterioration develop developed development developmental deviated
    deviation dextrocardia dextroposition diabetes diabetic diagnosed diameter diaphoresis diaphragmatic diaphyseal
    diarrhea diarrhoea diastasis diastemata dicarboxylic did didn didnt diet differ difference different differently
    difficult difficulties difficulty diffuse digest digestive digit digital digits dilatation dilated dilation
    dimension diminished diminishment dimple dimples diparesis diplegia diplegic direct disability disabled
    disappeared disarray disc discharge discharges discoloration discolored discoloured discomfort discontinue
    discount discovered discrete discs discuss disease disk dislocated dislocation dislocations disorder disorders
    displaced displacement disposition disproportion dissecans dissection dissociation distal distally distance
    distances distended distensae distension distention distichiasis distracted distracting distress disturbance
    disturbances divergent diverticula diverticulum dizziness dizzy dminished doc doctor doctors does doing
    dolichocephaly don done dopaminergic dorsal dorsiflexion dorsum dosage dose doses dosing double doughy down
    downfall downs downside downsides downslanted downslanting downturned downward doxycycline drainage dramatic
    dramatically dread dreams dribbling drift drink drinking drive driving drooling drooping drop droplets dropped
    dropsy drowsiness drowsy drug drugged drugs drumstick dry drying dryness duane duct ductal ductopenia ducts
    ductus due dullness duodenal duodenum duplex duplicated duplication dural during dwarfism dysarthria dysarthric
    dyschezia dyscognitive dysesthesia dysfunction dysgenesis dysharmonic dyskinesia dyslexia dysmetria dysmorphic
    dysmorphism dysmotility dysmyelination dysostosis dysphagia dysphonia dysplasia dysplastic dysraphism dystonia
    dystonic dystopia dystrophic dystrophy each eagerness ear earlier earlobe earlobes early earpits ears easier
    easily easy eat eaten eating ecchymoses ecchymosis echogenic echogenicity echoing echolalia echologia
    echophrasia eclabion eclabium ectasia ectodermal ectopia ectopic ectrodactyly ectropion eczema eczematoid edema
    edge effect effective effects effusion eight either elastolysis elbow elbows electrical electromyogram elevated
    elongated elongation else embryonal embryonic embryotoxon emergency emesis eminence eminences emotion emotional
    emotions emphysema empty emptying enamel encephalocele encephalopathy end ended ending endocardial endplate ends
    endurance energy enjoying enlarged enlargement enlarging enophthalmos enough enteric enteropathy entire entirely
    entropion enuresis enzymes eosinophil eosinophilia eosinophilic epicanthal epicanthic epicanthus epidermal
    epididymitis epiglottis epileptic epilepticus epileptiform epiphyseal epiphyses epiphysis episcleritis episode
    episodes episodic equilibrium equinovalgus equinovarus equinus erosions eruption erysipelas erythema erythrocyte
    erythrocytes erythroderma erythrodermia esodeviation esophageal esophagitis esophagus esophoria esotropia
    especially esteem estrogen etc evaluation even evening evenings eventration events eventually ever eversion
    everted every everyday everyone everything evil evoked exact exactly exaggerated exam example excavatum except
    exception excess excessive excision excited excretion excruciating exercise exercising exhausted exhaustion
    existent exocrine exodeviation exomphalos exophthalmos exostoes exostoses exostosis exotropia expect expected
    expensive experience experienced experiences experiencing expression expressionless expressive exsiccosis
    exstrophy extended extensible extension extensor external extra extraction extraocular extrapyramidal extreme
    extremely extremities extremity eye eyeball eyeballs eyebrow eyebrows eyed eyelash eyelashes eyelid eyelids eyes
    eyesight face facial facies facing fact fade fails failure failures fair fairly fall falling fallot falls
    faltering falx family fanconi far farsightedness fasciculation fasciculations fast fasting fat fatigue fatty
    favorable favourable fear features febrile feeding feel feeling feelings feels feet fell felt female femora
    femoral femur femura femurs ferritin fetal fetalis fetoprotein fetus fever fevers few fewer fiber fibers fibre
    fibres fibrillation fibrillations fibrinogen fibroblasts fibroelastosis fibromyalgia fibrosis fibrovascular
    fibula fibulae fibular fidgetiness field fifteen fifth figure figured filling finally find findings fine finger
    fingernail fingernails fingerpads fingers fingertip fingertips finish finished finishing first fissure fissures
    fisted fisting fistula fistulae fistulas five fixation fixed flaccidity flaking flammeus flapping flared flaring
    flat flattened flattening flaxen fleshy flexed flexible flexion floor floppy flow fluid fluids focal focus
    focused focusing foetal foetus foggy folate fold folds follicle follicles follicular follicularis followed
    following fontanel fontanelle fontanelles fontanels food foods foot for foramen foramina forearm forefoot
    forehead forelock forever forget forgetfulness forgot forked form formation forms formula forth forward fossa
    found four fourth fovea foveal fracture fractures fragile fragility freckling free freedom frenulum frenum
    frequency frequent frequently fried friend from front frontal fruit frustrated frustration full fullness fully
    function functioning fundus fungal funnel funny furrowed fused fusion fusions gabapentin gain gained gaining
    gait gallbladder gallstones ganglia ganglion gap gaped gas gastric gastritis gastroparesis gastrostomy gave
    gelastic general generalisation generalised generalized generic genital genitalia genitals genu genua gestation
    gestational gestures get gets getting giant gibbus gigantism gingival gingivitis girdle girl girls give given
    gives giving glabella glabellar glad gland glands glandular glaucoma glenohumeral glenoid gliosis glipizide
    global globe globes glomerular glowing glucose glucosuria glutamic glutamine glycated glycogen glycosuria
    glycosylated god godsend goes going gonad gonadotropin gonadotropins gonads gone good got gothic gotten gower
    gowers gracile grade gradually grand grandma grateful graying greasy great greater greatly green grey greying
    grimacing grinding groove grooved grooves gross growing growth guess gum gums guy gym gynaecomastia gynecomastia
    gyno gyral gyration habit habits habitus had haemangioma haematopoietic haemoglobin haemolytic haemorrhage hair
    hairiness hairline hairy half hallucal halluces hallucination hallucinations hallux hamartoma hammer hammertoe
    hammertoes hand handle handlebar hands handwringing hanging hangover happen happened happening happens happier
    happily happy hard hardening hardly harelip has hate hated have haven having head headache headaches headlag
    heads healing health healthier healthy hear hearing heart heartbeat heartburn heat heating heavier heavy heel
    height helices helix hell help helped helper helpful helping helps hemangioma hemangiomata hematemesis
    hematocolpos hematological hematuria hemidiaphragm hemiparesis hemivertebra hemivertebrae hemoglobin hemolysis
    hemolytic hemorrhage heparan hepatic hepatitis hepatoblastoma hepatocellular hepatocyte hepatocytes hepatomegaly
    her here hernia hernias heterotopia heterotopias heterotopic hexadactyly hiatal hiatus high higher highly highs
    him hinge hip hippocampal hippocampus hips hirschsprung hirsute hirsutism his history hit hits hives hoarse
    hoarseness hole home honest honestly honeycombing hooded hook hooked hope hoped hopefully hopes hoping
    horizontal hormonal hormone hormones horrible horrific horseshoe hospital hot hour hours house how however hrs
    huge humeral humeri humerus hunched hunger hungry hurt hurts husband husky hydramnios hydrancephaly hydrocele
    hydrocephalus hydrocephaly hydrocodone hydronephrosis hydrops hydroureter hydroxyzine hygroma hypacusis hyper
    hyperactive hyperactivity hyperacusis hyperammonemia hyperconvex hypercupremia hyperechogenic hyperelastic
    hyperextension hyperhidrosis hyperintense hyperintensity hyperkeratosis hyperkinesia hyperkinetic hyperkyphosis
    hyperlaxity hyperlordosis hypermelanotic hypermetropia hypermobility hypermobilty hypernasal hyperopia
    hyperoralia hyperorality hyperostosis hyperphagia hyperphalangy hyperpigmented hyperplasia hyperplastic
    hyperreflexia hypersplenism hypertelorism hypertension hyperthermia hypertonia hypertonic hypertonicity
    hypertrichosis hypertrophic hypertrophy hypertropia hyperuricaemia hyperuricemia hypoadrenalism hypoaesthesia
    hypocalcaemia hypocalcemia hypodontia hypoelastic hypoesthesia hypoglycaemia hypoglycemia hypogonadism
    hypohidrosis hypointense hypokalemia hypokinesia hypolacrimia hypomagnesemia hyponatremia hypophysial
    hypopigmented hypoplasia hypoplastic hyporeflexia hyposmia hypospadia hypospadias hypotelorism hypothalamic
    hypothenar hypothermia hypothyroidism hypotonia hypotonic hypotrichosis hypotrophic hypotrophy hypsarrhythmia
    ibuprofen ice ichthyosiform ichthyosis ichthyotic icterus idea identifiable iduronate ilia iliac ill image
    imagine imaging imbalance imbalanced immediate immediately immensely immune immunoglobulin immunological
    impacted impaired impairment implanon implant implantation implanted impression improved improvement impulsive
    impulsivity inability inaction inadequate inappropriate incisional incisor incisors incisura inclined include
    including incompetence incomplete inconsistent incontinence incoordination incorrect increase increased
    increasing incredibly indentation indented index indifference indistinct induced indurated ineffective inelastic
    infamous infancy infant infantile infants infarction infection infections inferior infertility infiltration
    inflammation info infraorbital infrequent inguinal initial initially injection injections injury inner innermost
    insane insanely insensitivity inserted insertion inside insipidus insomnia instability instead insufficiency
    insulin insurance intake intellectual intense intensity intention interact interaction interactions intercanthal
    intercourse intercrural interdigital interest interested interests interleukin intermamillary intermaxillary
    intermittent internally international interpupillary interrupted intersex interstitial intertemporal
    intervertebral intestinal intestine into intolerance intra intraabdominal intracerebral intrahepatic
    intramuscular intrasutural intrauterine intravenous intrinsic introduced invaginated inversion inversus inverted
    involuntary involving inward irides iris iron irregular irregularities irregularity irritability irritable
    irritated irritation ischia islands isoelectric isoform issue issues isthmus itchiness itching itchy its iud ive
    ivory jaundice jaw jawed jejunal jerk jerks jittery job joined joint joints journey judge jump junction just
    juvenile kalnienk keep keeping keeps keloids kept keratan keratopathy keratosis key keyhole kicked kicks kidney
    kidneys kids killed kinase kind kinda kinds kinked knee kneecap knees knew knock know kyphoscoliosis kyphosis
    labia labial lability labored laboured lack lacking lacrimal lactate lactic lacticacidemia lacticacidosis lacy
    ladies lag lagophthalmos laid lait lambdoidal language languor large larger laryngeal laryngomalacia larynx last
    lasted lasting lasts late later lateral laterally latuda laughter lax laxa laxity layer lazy lbs leading leaflet
    leaflets learned learning least leave led left leftover leg legs length lens lentigines lentis lesion lesions
    less lessened lesson let lethal lethargy leukaemia leukemia leukocyte leukocytes leukodystrophy leukomalacia
    leukopenia level levels levora lexapro libido lid life lifesaver lifestyle light lightened lighter like liked
    likely liking limb limbic limbs limitation limited line linear liner liners lines lingual lip lipid lipoatrophy
    lipodystrophy lipogranuloma lipoprotein lips listen literally lithium little live liver lives living lobar
    lobation lobe lobeless lobes lobster lobulate lobule lobules local localised localized located location
    locomotor lol long longer longitudinal look looking looks loose lordosis lose losing loss lost lot lotion lots
    loud love loved low lower lowering lowset loxia lubrication luck lucky lumbar lunch lung lungs luteinizing lying
    lymphatic lymphedema lymphocyte lymphocytes lymphoedema lymphoid lymphopenia macrencephaly macrocephalus
    macrocephaly macrocornea macrocrania macroglossia macrognathia macrogyria macromandible macroorchidism
    macrosomia macrostomia macrotia macrovesicular macula macular macule macules made magna magnesium magnetic
    magnum main mainly major majora majority make makes makeup making mal malabsorption malaise malaligned
    malalignment malar male malformation malformations malformed malignant malleolus malnutrition malocclusion
    malposition malrotation mamilla manage manageable mandible mandibular mania manic mannerism many marfanoid
    margins mark marked market marks marmorata married marrow masklike mass massive maternal matter maturation max
    maxilla maxillary may maybe meal meals mean meatal meatus meckel med media medial medially median medicated
    medication medications medicine medicines medium meds medulla medullary megacephaly megacolon megalencephaly
    megalocornea megarectum megaureter meibomian melanocytic mellitus melotia membrane membranes memory menses
    menstral menstrual menstruation mental mention mentions menton mesangial mesoaxial mesomelia mesomelic mess met
    metabolic metabolism metacarpal metacarpals metachromasia metaphyseal metaphyses metaphysis metatarsal
    metatarsals metatarsus metformin method methods metopic microcephaly microcornea microcysts microcytic
    microdontia microface microfacies micrognathia micromandible micromaxilla micromelia micromelic micronodular
    micropenis microphallus microphthalmia microphthalmos microstomia microtia microvesicular midclavicular middle
    midface midfacial midline might migraine migraines migration migrational mild mildly milestones milk milligram
    min mind mine mineral mineralization minimal minocycline minor minora minutes miosis miracle mirena mirror
    misalignment miserable miss missed misshapen missing mistake mitochondria mitochondrial mitochondrion mitral
    mixed moaning mobility moderate moderately moisturiser molar mole mom moment money monkey monobrow monocular
    monodactyly month months mood moodiness moods moody more morning mornings morphine morphological morphology
    morsier most mostly mother motility motion motivation motor mouth mouthed move moved movement movements moving
    mts much mucocutaneous mucous multicentric multicystic multifocal multiple multiplex murmur murmurs muscle
    muscles muscular must mutilation myalgia myelin myelination myelopathy myocardial myoclonic myoclonus myofiber
    myoinositol myopathic myopathy myopia myotonia myotonic myself myxomatous naevi naevus nail nails name nap
    narcotic nares naris narrow narrowed narrowing narrowness nasae nasal nasi nasogastric nasolacrimal nasopharynx
    nasty natal natural naturally nausea nauseated nauseous near nearly necessarily necessary neck necks necrosis
    necrotizing need needed needing needs negative negatives neocortical neonatal neonate neoplasia nephrogenic
    nephrosis nephrotic nerve nerves nervous nervousness neuritis neuroblastoma neurogenic neurologic neuronal
    neuropathy neutropenia neutrophil neutropoenia never nevi nevus new newborn newly nexplanon next nice night
    nightmares nights nigricans nipple nipples nitrogen nocturna nodosum nodular non none nonimmune noninsulin
    nonketotic nonossified nonprogressive nonspecific nonsyndromal nonverbal noon nor normal normalised normally
    nose nostril nostrils not notch notched notches nothing notice noticeable noticeably noticed now nuchal nucleus
    numb number numbness numerous nurse nutritive nuva nyctalopia nystagmus obesity obsessive obstruction
    obstructive obtuse obviously occasion occasional occasionally occipital occiput occlusion occult occulta occur
    ocular oculomotor odontoid oedema oesophagus off offered office often oil oily okay old older olfactory
    oligodactyly oligodontia oligohidrosis omega omphalocele omphalocoele once one ones ongoing online only onset
    opacification opacities opacity open opening opisthotonos opisthotonus opposite oppositional oppositus optic
    option oral orbital orbits organs origin originally orofacial oromandibular oropharyngeal ossicles ossification
    ossified osteoarthritis osteochondroma osteolytic osteomyelitis osteonecrosis osteopaenia osteopathia osteopenia
    osteoporosis osteosclerosis ostium other others otherwise otitis our out outbreak outer outermost outlet outlook
    output outs outward oval ovale ovarian ovaries ovary over overall overbite overcrowding overcurvature overfolded
    overgrowth overlap overlapping overriding overweight ovoid own oxaloacetic oxidase oxycephaly oxycodone
    pachygyria pack packaging packs pad pads pain painful painless pains pairs palatal palate palatine palatinus
    palatoschisis pale pallor palm palmar palmoplantar palms palpebral palpebronasal palpitations palsies palsy
    pancreas pancreatic pancreatitis pancytopaenia pancytopenia panda panic panty pantyliner paper papillary
    papilloma papillomatosis papules paraguard paralysis paranasal paranoia paranoid paraparesis parathyroid
    parenchyma paresis parietal parkinsonism parotid parotitis paroxysmal part partial partition partner pass passed
    past patch patches patchy patella patellae patellar patellas patent pathologic patients pattern pauses pay
    paying peak pectoralis pectus pedal pediatric pedicles peel peeling peg pellucidi pellucidum pelvic pelvis
    pelviureteric pendular penile penis penoscrotal people pepper per percent percentile percussion perfect
    perfectly performance perianal periauricular pericardial perineal period periods periorbital peripheral
    periportal peritoneal peritonitis perivascular permanent peroneal persistence persistent person personality
    pervasive pes petit phalangeal phalanges phalanx pharmacy pharyngeal phase philtrum phimosis phocomelia
    phosphatase phosphate phosphaturia phosphokinase photodysphoria photophobia photosensitive phthisis physical
    physically physican physiology phytanic pica pigeon pigment pigmentary pigmentation pigmented pigmentosa pilaris
    piling pill pills pilonidal pilosity pimple pimples pinched pineal pinkie pinky pinna pinnae pinprick pit
    pitched pits pituitary place placed placement placenta placental plagiocephaly plan plantar planus plaque plasma
    plate platelet platelets plates platybasia platyspondyly please pleased pleural plexus plica plugging plump plus
    pneumocyte pneumonia pneumothorax poikiloderma point pointed pointes pointy poison polar poliosis polly
    polycystic polydactyly polydipsia polyhydramnios polymicrogyria polyneuropathy polyp polyphagia polysplenia
    polyuria pons pontine poor poorly popliteal porencephalic portal portion position positional positioned positive
    positives possible post postauricular postaxial posterior posteriorly postnatal posts postural posture posturing
    potassium potentials pound pounds powerful pray praying preauricular preaxial precocious precociously
    predisposition prefer pregnancies pregnancy pregnant premature prematurely premaxilla prenatal prepenile
    prescribed prescription prescriptions present presentation presents pressure preterm pretibial pretty prevent
    prevention prevents previous previously primary primum prior proactive probably problem problems proboscis
    procedure process producing product production productive profile profound profuse profusely progesterone
    progestin prognathia prognathism program progressive progressively projection prolapse proliferation prolonged
    prominence prominent pronation prone pronoun pronounced properly proportion proportionate proprioception
    proptosis pros protective protein proteinuria protrudes protruding protrusio protrusion protuberance protuberant
    provided proximal proximally prurigo pseudocleft psych psychiatric psychologist psychomotor psychosis pterygia
    pterygium ptosis pubertal puberty pubic pubis puffiness puffy pulmonary pulmonic punctate punctum puolmonary
    pupil pupillary pupils purpose pursed pursuit pushing put puts pyelectasis pyelography pyelonephritis pyloric
    pylorus pyogenic pyramidal pyrexia pyruvate pyruvic quadriceps quadriparesis quadriplegia quadrupedal quality
    question questions quick quickly quiet quit quite quivering rachischisis rachitic racing radial radially
    radiation radiculomegaly radii radiohumeral radioulnar radius rage ragged raised rami ramped ramus ran random
    range rapid rapidly rare rarefaction rash rashes rate rather ratio reaction reactions read reading ready real
    realize realized really rear reason recall receding received recent recently receptive receptor recessed
    reciprocity recommend recommended recovery rectal recti rectovaginal rectum recurrent recurring recurvata
    recurvatum red redness reduce reduced reduction redundant reflex reflexes reflux regardless region regions
    regression regular regulate regulated regulation regurgitation related relation relationship relative relatively
    relaxation relaxations release relief relieve remain remedy remember remove removed renal renin repair repeated
    repetitive replaced replaces report reports required research residue resistance resistant resonance respiration
    respiratory respond response responses responsiveness rest restless restlessness restricted restriction
    restrictive resulting results retained retardation retarded retention reticular reticulate retina retinal
    retinitis retinopathy retired retrognathia retruded retrusion retrusive return reversal reversed review
    reviewers reviews rhizomelia rhizomelic rhomboid rhythm rhythmic rhytids rib ribs rickets rid ride ridge ridges
    ridging ridiculous rieger right righting rigid rigidity ring robin rocker rockerbottom rod roll romberg roof
    roofs room root rosary roseace rotary rotated rotation rotatory rough round rounded rows rudimentary ruin ruined
    run running rupture sac saccades sacral sacrococcygeal sacroiliac sacrosciatic sacrum sad saddle sadness safe
    sagging sagittal said salaam salivation salt same sandal sandy satisfied satyr save saved saw say says scale
    scaling scalloping scalp scaly scant scanty scaphocephaly scapula scapulae scapular scar scared scares scarring
    scars scary schedule scheduled schizencephaly schizophrenia school sciatic sclera sclerae scleral sclerocornea
    sclerocystic sclerosis sclerotic scoliosis score scream scrotal scrotum seasonal seborrhea seborrheic second
    secondary secretion section secundum sedation sedimentation see seeing seeking seem seemed seems seen segment
    segmental segmentation seizure seizures selective self sella semicircular semilobar senile sensation sense
    sensitive sensitivity sensorimotor sensorineural sensory separated separating separation sepsis septa septal
    septate septi septum sequence serious seriously sertraline serum set settle settled seventh several severe
    severely sex sexual shaft shake shaking shallow shankbone shape shaped share sharing sharp shawl she sheath
    sheaths shield shift shinbone short shortened shortening shorter shortness shot shots should shoulder shoulders
    shower shows shunt sialorrhea sick sickle sickled side sided sides sight sighted sightedness sign signal
    significant significantly signs silly simian similar simple simplex simply since single sinus sinusitis
    sinusoidal sit site situs six sixth size sizes skeletal skeleton skeptical ski skills skin skinny skip skull
    skullcap sky slack slanted slanting sleep sleepiness sleeping sleepless sleepy slender slept slight slightly
    slipped sloping slow slowed slowing slowly slurred small smaller smear smell smells smile smoking smooth snoring
    social sockets sodium soft softening soles solidness solution somatotropin some someone something sometime
    sometimes somewhat somnolence son sonography soon sophomore sore sort space spaced spaces spacing span sparse
    spasm spasmodic spasms spastic spasticity spatulate specific specifically specification spectroscopy speech
    spells spent spicules spider spina spinal spine spironolactone splayed splaying spleen spleens splenomegaly
    splenoportal split spontaneous spoon spot spots spotted spotting sprained sprengel spring sprintec sprue square
    squared squaring squint stable stage stain stairs stammering stand standing staring starry start started
    starting startle state stature status stay stayed staying steatosis stellate stem stenosis stenotic steppage
    stepping stereotyped stereotypic stereotypical stereotypy sternal sternum stick sticking sticks stidor stiff
    stiffness still stimming stimulant stimulants stimulating stimulation stippled stippling stomach stone stones
    stool stooped stop stopped stopping stops stories strabismus straight straightened strain strawberry streaks
    stream street stress stressful stretch stretchable stretched striae striata strict stricture stridor string
    strings stroke stroma stromal strong stronger strongly structural structure structures struggle struggled
    struggling stubby stuck student studies stuff stung stupor stuttering subarachnoid subclavian subclinical
    subcortical subcutaneous subependymal subglottic subluxation submucous subpleural subsarcolemmal subside
    subsided subungual subvalvular success successfully such suck sucking suckle sucks sudanophilic sudden sudomotor
    suffer suffered suffering sugar sugars suggest suggested suggestions suicidal suicide sulcus sulfatase sulfate
    sulfur sulphate summer sun sunflower sunken super superficial superior superiorly supernumary supernumerary
    supination supplemental supply support suppose supposed suppression supraorbital supravalvular sure surface
    surgeries surgery surprise surprised surrounding surrounds susceptibility sutural suture sutures swallow
    swallowing swayback sweat sweating sweats swedish sweet sweets swelling swings switch switched switching swollen
    sylvian sylvius symmetric symmetrical symphalangism symphysis symptoms syndactyly syndrome synechia synechiae
    synophris synophrys synostosis syringomyelia syrinx system systemic systems systolic tab tablet tachycardia tack
    tactile tag tags tailbone take taken takes taking talipes talk talked talking tall talon talus tampon tampons
    tandem tantrums taper tapered tapering tarsal tasks taste tazorac teachers tear tears teenage teeth
    telangiectases telangiectasia telecanthus tell tells temper temperature temples temporal ten tend tender
    tenderness tendon tenex tension tented teratoma term terminal terrible terribly tessier test tested testes
    testicles testicular testis testosterone tests tetany tethered tetralogy tetraparesis tetraplegia tetrology
    texture than thankfully that the their thelarche them then thenar there these they thick thickened thickening
    thickness thigh thighbone thin thing things think thinking thinks thinned thinning third thirst this tho
    thoracic thoracolumbar thorax those though thought thoughts three thrive thromboplastin through throughout
    throwing thru thrusting thumb thumbs thus thymic thymus thyroid thyrotropin tibia tibial tic tics tied tight
    tightly tightness till time times tingling tinnitus tiny tip tips tiptoe tired tiredness tissue titubation today
    toe toenail toenails toes together toileting told tolerance tolerate ton tone tongue tonic tonight tonsillar
    tonsils too took tooth top topical topicals tops tori torpor torsade torsades torsion torticollis tortuosity
    tortuous torus total totalis totally touch toward towards tower trabeculation trachea tracheal tracheomalacia
    tract tragus traits transaminase transaminases transferrin translucency translucent transposition transverse
    transversus trazodone treat treating treatment tremor tremors trial triangular triatriatum trichomegaly trick
    tricuspid trident tried triglycerides trigonocephaly triradius trochanters trouble truck true truly truncal
    truncus trunk trust try trying tube tubular tubulopathy tummy tumor tumors turcica turn turned turning turns
    turricephalus turricephaly twice twisted twitches twitching two type types typical typically typing ugly ulcer
    ulceration ulna ulnae ulnar ulnohumeral ultrasound umbilical umbilicus unable unbearable unbelievable
    uncomfortable unconjugated under underactive underarm underdeveloped undergrowth understand undertubulated
    undescended undetectable undulate unequal unfortunately unhappy unibrow unilateral units unlike unpleasant
    unpredictable unresponsive unsteady unsymmetrical until unusual unusually update updating upgaze uplifted upon
    upped upper ups upslanted upslanting upsweep upswept upturned upward urea uremic ureter ureteral ureteric
    ureterocele ureteropelvic urethra urethral urethrovaginal uric urinary urinate urine use used useless user using
    usual usually uterine utero uterus uvula vacuum vagina vaginal valga valgum valgus valve valvular vara
    variability variation varicose various varix varus vascular vasculature vault vaulted vegetative vein veins
    velocities velocity velopharyngeal velum vena venosus venous ventricle ventricles ventricular vermal vermian
    vermilion vermillion vermis verses vertebrae vertebral vertical very vesicae vesicoureteral vesicoureteric
    vesicovaginal vessel vessels vibration vibratory view violent viral vision visit visual visuospatial vitamin
    vitamins vitreous vivid vocal voice volume vomiting vomitting voracious vyvanse waddling wait waited waiting
    wake wakefulness waking walk walking wall wandering want wanted wanting wants warned was wash waste wasting
    watch water watery waves wavy way ways weak weakness weaned wear wearing wears weather webbed webbing webs wedge
    week weeks weening weigh weighed weight weird well went were what whatsoever when whenever where whether which
    while white whites who whole whorl why wide widely widened widening wider width wife will willing windpipe wing
    winged winging wings wisdom wish with withdrawal withdrawals within without woke woman women wonder wonderful
    wonders wont wooly work worked working workout works world wormian worries worry worrying worse worsened worst
    worth would wrench wringing wrinkled wrinkles wrinkling wrist wrists writhing wrong wry xanax xanthomata
    xanthomatosis xerosis yawn yaz year years yeast yellow yellowing yes yesterday yet you young your yourself yrs
    zero zit zits zombie zygomatic
""")
