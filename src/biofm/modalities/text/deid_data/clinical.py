"""Words of clinical notes that the bundled texts (reviews, symptom lists) seldom use: the verbs,
nouns and adjectives of ward notes, departments, and common drug names (generic and brand).

Together with ``vocabulary.VOCABULARY`` and ``NOT_NAMES`` they say which capitalised words are
plain words: two or more unknown capitalised words in a row ("Svetlana Khoury was alert") look
like a name, "Chest Pain" or "Night Team" or "Aspirin, Bisoprolol" do not.  Written by hand from
general clinical knowledge, in lower case.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


NOTE_WORDS = _words("""
    admit admitted admitting discharged discharging transferred transfer tolerated tolerating tolerates ambulating
    ambulates ambulated ambulatory presented presenting presents reported reporting denies denied denying endorses
    endorsed complains complaining complained stated noted notes observed examined evaluated assessed reviewed
    discussed consulted consulting counseled counselled educated instructed advised informed updated agreed agrees
    consented declined refused requested requests prescribed started stopped held resumed continued discontinued
    increased decreased titrated tapered weaned given received administered ordered sent drawn obtained performed
    scheduled planned arranged referred followed follows returned returns arrived remained remains improved
    improving worsened worsening resolved resolving unchanged stable afebrile alert oriented awake responsive
    lethargic drowsy comfortable pleasant cooperative agitated confused distressed diaphoretic pale jaundiced
    cyanotic tachycardic bradycardic hypotensive hypertensive hypoxic tachypneic intubated extubated sedated
    ventilated monitored transfused infused injected dressed splinted sutured drained debrided biopsied excised
    resected repaired implanted inserted removed placed verified confirmed signed dictated transcribed documented
    charted bedside ward wards bay bed beds theatre theater clinic clinics outpatient outpatients inpatient
    inpatients admission admissions handover shift rounds consult consults consultation referral followup review
    plan assessment impression diagnosis differential examination findings imaging bloods cultures sensitivities
    swab swabs specimen biopsy pathology cytology histology infusion infusions transfusion injection injections
    regimen medications meds prescription prescriptions inhaler inhalers puffs nebulizer nebuliser drip drips line
    lines cannula catheter drain drains dressing dressings wound wounds incision sutures staples cast splint sling
    brace walker wheelchair crutches cane oxygen ventilator monitor telemetry echocardiogram radiograph angiogram
    angiography endoscopy colonoscopy bronchoscopy laparoscopy procedure operation anaesthesia anesthesia analgesia
    dyspnoea dyspnea breathlessness wheeze sputum haemoptysis hemoptysis chills rigors syncope palpitations oedema
    edema delirium laceration contusion sprain abscess infection infections pneumonia cellulitis sepsis man woman
    female male girl boy infant toddler baby adult elderly frail widow widowed widower married single divorced
    retired employed unemployed smoker nonsmoker carer carers relatives visitors visitor nursing home facility
    residential hostel shelter hospice community district practice surgery office morning afternoon evening night
    overnight tonight weekend weekday week month year today yesterday tomorrow daily twice thrice weekly monthly
    nightly hourly regular irregular routine urgent emergent elective acute chronic mild moderate severe significant
    minimal marked slight gross fine normal abnormal unremarkable remarkable positive negative equivocal pending
    awaited outstanding completed complete incomplete partial total left right bilateral unilateral upper lower
    anterior posterior medial lateral proximal distal central peripheral sitting standing lying supine prone seated
    walking resting rest exertion activity mobility mobilising mobilizing history current previous prior past recent
    known suspected probable possible likely unlikely confirmed status code resuscitation dnr dnar dni ceiling
    escalation palliative comfort measures end life anaesthetics anesthesiology cardiothoracic endocrinology
    gastroenterology gynaecology haematology hepatology immunology microbiology neurosurgery otolaryngology
    orthopaedics paediatrics psychology pulmonology respiratory rheumatology vascular virology ent icu hdu ccu itu
    ed ae majors resus triage ortho neuro cardio gastro onc derm psych obs gyn peds paeds ot slt gp gps consultant
    registrar sho fy1 fy2 houseman matron sister charge midwife paramedic porter pharmacist dietitian dietician
    therapist team teams service services department departments unit units hospital hospitals centre center clinic
    chest pain shortness breath abdominal headache back neck joint joints muscle muscles bone bones skin eyes heart
    lungs liver kidney kidneys bladder bowel bowels stomach brain spine hip hips knee knees shoulder plan impression
    assessment subjective objective vitals observations obs saturations temperature pulse pressure rate respirations
    weight height bmi intake output fluids fluid balance diet nil mouth npo granddaughter grandson grandmother
    grandfather granddaughters grandsons niece nephew aunt uncle cousin stepson stepdaughter stepmother stepfather
    fiance fiancee spouse partner sibling siblings wife husband died dies passed lives lived moved works worked
    helps helped visits visited cares cared stays stayed brought brings took takes gave gives calls phoned phones
    came comes went goes feels said says told tells asked asks wants wanted needs needed lost found fell falls got
    gets became becomes left leaves
""")

DRUG_NAMES = _words("""
    acetaminophen paracetamol ibuprofen naproxen diclofenac aspirin morphine oxycodone hydrocodone tramadol codeine
    fentanyl hydromorphone methadone buprenorphine naloxone gabapentin pregabalin amitriptyline nortriptyline
    duloxetine sertraline fluoxetine citalopram escitalopram paroxetine venlafaxine bupropion mirtazapine trazodone
    quetiapine olanzapine risperidone aripiprazole haloperidol lorazepam diazepam clonazepam alprazolam midazolam
    zolpidem zopiclone melatonin levetiracetam phenytoin valproate lamotrigine carbamazepine topiramate lacosamide
    metformin glipizide gliclazide glimepiride insulin glargine detemir degludec lispro aspart sitagliptin
    linagliptin empagliflozin dapagliflozin canagliflozin liraglutide semaglutide dulaglutide exenatide
    levothyroxine methimazole carbimazole propylthiouracil prednisone prednisolone dexamethasone hydrocortisone
    methylprednisolone fludrocortisone lisinopril ramipril enalapril perindopril captopril losartan valsartan
    candesartan irbesartan olmesartan telmisartan sacubitril amlodipine nifedipine felodipine diltiazem verapamil
    metoprolol bisoprolol atenolol carvedilol propranolol labetalol nebivolol hydralazine clonidine doxazosin
    furosemide frusemide bumetanide torsemide hydrochlorothiazide chlorthalidone indapamide spironolactone
    eplerenone digoxin amiodarone flecainide sotalol warfarin apixaban rivaroxaban dabigatran edoxaban heparin
    enoxaparin dalteparin clopidogrel ticagrelor prasugrel atorvastatin simvastatin rosuvastatin pravastatin
    ezetimibe omeprazole esomeprazole pantoprazole lansoprazole ranitidine famotidine ondansetron metoclopramide
    domperidone prochlorperazine cyclizine senna sennosides docusate lactulose bisacodyl macrogol loperamide
    amoxicillin clavulanate penicillin flucloxacillin cephalexin cefalexin cefazolin ceftriaxone cefuroxime cefepime
    ceftazidime piperacillin tazobactam meropenem ertapenem vancomycin teicoplanin linezolid doxycycline
    azithromycin clarithromycin erythromycin ciprofloxacin levofloxacin moxifloxacin metronidazole clindamycin
    trimethoprim sulfamethoxazole nitrofurantoin gentamicin amikacin fluconazole nystatin acyclovir aciclovir
    valacyclovir oseltamivir remdesivir albuterol salbutamol ipratropium tiotropium fluticasone budesonide
    beclomethasone salmeterol formoterol montelukast theophylline allopurinol colchicine febuxostat methotrexate
    hydroxychloroquine sulfasalazine azathioprine mycophenolate tacrolimus cyclosporine tamsulosin finasteride
    oxybutynin sildenafil tadalafil potassium magnesium calcium ferrous folic thiamine cyanocobalamin
    cholecalciferol alendronate denosumab epoetin filgrastim rituximab adalimumab infliximab etanercept
    pembrolizumab nivolumab tylenol advil motrin aleve lasix coumadin eliquis xarelto pradaxa plavix brilinta
    lipitor crestor zocor synthroid glucophage januvia jardiance farxiga ozempic wegovy trulicity victoza lantus
    levemir humalog novolog zoloft prozac lexapro celexa paxil wellbutrin cymbalta effexor seroquel zyprexa abilify
    haldol xanax ativan valium klonopin ambien keppra dilantin depakote lamictal tegretol topamax neurontin lyrica
    norco percocet vicodin dilaudid ultram oxycontin suboxone narcan flomax proscar protonix nexium prilosec pepcid
    zantac zofran reglan colace miralax dulcolax senokot augmentin keflex rocephin zithromax cipro levaquin flagyl
    bactrim macrobid diflucan valtrex tamiflu ventolin proair atrovent spiriva advair symbicort seretide singulair
    flonase zyrtec claritin benadryl sudafed medrol decadron toradol humira enbrel remicade entresto norvasc toprol
    coreg zestril cozaar diovan aldactone digox cordarone lovenox fragmin insulins metformin glyburide
""")
